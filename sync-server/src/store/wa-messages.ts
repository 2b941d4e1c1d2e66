import type { Db } from './db.js'

/**
 * Where a WhatsApp message id (wamid) lives: our conversation and message ids. A wamid of a deleted
 * conversation is a tombstone: `conversationId` and `messageId` are empty (see `forgetConversation`).
 */
export interface WaMessageRow {
  wamid: string
  direction: 'in' | 'out'
  conversationId: string
  messageId: string
  createdAt: number
}

export type WaStatus = 'sent' | 'delivered' | 'read' | 'failed'

export interface StatusRow {
  wamid: string
  status: WaStatus
  at: number
  error: string | null
  /** `pricing.category` and `conversation.origin.type`, when the status carried them. */
  billingCategory?: string | null
  conversationOrigin?: string | null
}

/** A customer's edit or revoke of one of their messages, under the edit's own wamid. */
export interface AmendmentRow {
  wamid: string
  targetWamid: string
  kind: 'edit' | 'revoke'
  /** The edit's new text or caption; null for a revoke. */
  text: string | null
  at: number
  applied: boolean
}

export interface ReactionRow {
  targetWamid: string
  contactId: string
  /** Null: the customer removed the reaction. */
  emoji: string | null
  at: number
  applied: boolean
}

/** A wamid a conversation knows of, from its document or its outbox (see `forgetConversation`). */
export interface KnownWamid {
  wamid: string
  direction: 'in' | 'out'
}

/**
 * The wamid index (`wa_messages`), delivery statuses (`wa_statuses`), reactions
 * (`wa_reactions`) and customers' edits and deletions (`wa_amendments`): the SQLite side of WhatsApp message identity, dedupe and late arrivals.
 *
 * Deleting a conversation (`forgetConversation`) keeps each of its wamids as a tombstone: the wamid
 * and its direction, with no conversation or message id and `created_at` the time of deletion, and
 * nothing else (its statuses and reactions go). The inbound side dedupes customer messages on the
 * index, so a redelivery of a deleted customer message (Meta retries for days) finds the tombstone
 * and is skipped instead of opening a new conversation with the deleted text; a late status or
 * reaction finds a wamid pointing to no document and is settled like one of a closed conversation,
 * and is not stored (`insertStatus` and `upsertReaction` ignore tombstoned wamids).
 */
export interface WaMessageStore {
  get(wamid: string): WaMessageRow | undefined
  /** The known ones among `wamids`, in one query. */
  getMany(wamids: readonly string[]): Map<string, WaMessageRow>
  /** `<wamid>|<status>` of every status stored for these wamids, in one query. */
  statusKeys(wamids: readonly string[]): Set<string>
  /** Inserts the row unless the wamid is known; true when inserted. */
  insert(row: WaMessageRow): boolean
  status(wamid: string, status: string): { applied: boolean } | undefined
  /** Records a status (ignored when that (wamid, status) is already stored). */
  insertStatus(row: StatusRow, applied: boolean, receivedAt: number): void
  pendingStatuses(wamid: string): StatusRow[]
  /** Wamids with statuses or reactions still waiting although the wamid is indexed (a crash). */
  strandedStatusWamids(): string[]
  markStatusesApplied(wamid: string): void
  reaction(targetWamid: string, contactId: string): ReactionRow | undefined
  upsertReaction(row: ReactionRow): void
  pendingReactions(targetWamid: string): ReactionRow[]
  /** Whether any reaction waits for its message (spares a lookup per message when none does). */
  anyPendingReactions(): boolean
  markReactionApplied(targetWamid: string, contactId: string): void
  /** The wamids among these that are stored edits or revokes (their redeliveries), in one query. */
  amendmentKeys(wamids: readonly string[]): Set<string>
  /** Records an edit or revoke (ignored when its wamid is stored already). */
  insertAmendment(row: AmendmentRow, receivedAt: number): void
  /** Edits and revokes waiting for the message they amend, oldest first. */
  pendingAmendments(targetWamid: string): AmendmentRow[]
  anyPendingAmendments(): boolean
  markAmendmentApplied(wamid: string): void
  /** Forgets statuses and reactions that waited longer than `before` for a wamid that never came. */
  prunePending(before: number): number
  /**
   * A deleted conversation's wamids (those indexed under it, and `known` ones the index lacks)
   * become tombstones and lose their statuses and reactions (see above). Run it inside the
   * deletion's transaction. Returns how many wamids were tombstoned.
   */
  forgetConversation(conversationId: string, known: readonly KnownWamid[], now: number): number
}

export function createWaMessageStore(db: Db): WaMessageStore {
  const get = db.prepare<[string], WaMessageRow>(
    `SELECT wamid, direction, conversation_id AS conversationId, message_id AS messageId,
       created_at AS createdAt FROM wa_messages WHERE wamid = ?`,
  )
  const insert = db.prepare(
    `INSERT INTO wa_messages (wamid, direction, conversation_id, message_id, created_at)
     VALUES (@wamid, @direction, @conversationId, @messageId, @createdAt) ON CONFLICT DO NOTHING`,
  )
  const getMany = db.prepare<[string], WaMessageRow>(
    `SELECT wamid, direction, conversation_id AS conversationId, message_id AS messageId,
       created_at AS createdAt FROM wa_messages WHERE wamid IN (SELECT value FROM json_each(?))`,
  )
  const statusKeys = db.prepare<[string], { key: string }>(
    `SELECT wamid || '|' || status AS key FROM wa_statuses
     WHERE wamid IN (SELECT value FROM json_each(?))`,
  )
  const status = db.prepare<[string, string], { applied: number }>(
    'SELECT applied FROM wa_statuses WHERE wamid = ? AND status = ?',
  )
  // Statuses and reactions of a tombstoned wamid are not kept (its conversation was deleted).
  const notForgotten = (wamid: string) =>
    `NOT EXISTS (SELECT 1 FROM wa_messages WHERE wamid = ${wamid} AND conversation_id = '')`
  const insertStatus = db.prepare(
    `INSERT INTO wa_statuses
       (wamid, status, at, error, applied, received_at, billing_category, conversation_origin)
     SELECT @wamid, @status, @at, @error, @applied, @receivedAt, @billingCategory,
       @conversationOrigin WHERE ${notForgotten('@wamid')}
     ON CONFLICT DO NOTHING`,
  )
  const pendingStatuses = db.prepare<[string], StatusRow>(
    `SELECT wamid, status, at, error, billing_category AS billingCategory,
       conversation_origin AS conversationOrigin
     FROM wa_statuses WHERE wamid = ? AND applied = 0 ORDER BY at`,
  )
  const amendmentKeys = db.prepare<[string], { wamid: string }>(
    'SELECT wamid FROM wa_amendments WHERE wamid IN (SELECT value FROM json_each(?))',
  )
  const insertAmendment = db.prepare(
    `INSERT INTO wa_amendments (wamid, target_wamid, kind, text, at, applied, received_at)
     SELECT @wamid, @targetWamid, @kind, @text, @at, @applied, @receivedAt
     WHERE ${notForgotten('@targetWamid')}
     ON CONFLICT DO NOTHING`,
  )
  const pendingAmendments = db.prepare<
    [string],
    Omit<AmendmentRow, 'applied'> & { applied: number }
  >(
    `SELECT wamid, target_wamid AS targetWamid, kind, text, at, applied
     FROM wa_amendments WHERE target_wamid = ? AND applied = 0 ORDER BY at`,
  )
  const anyPendingAmendments = db.prepare<[], { n: number }>(
    'SELECT EXISTS (SELECT 1 FROM wa_amendments WHERE applied = 0) AS n',
  )
  const amendmentApplied = db.prepare<[string]>(
    'UPDATE wa_amendments SET applied = 1 WHERE wamid = ?',
  )
  const pruneAmendments = db.prepare<[number]>(
    'DELETE FROM wa_amendments WHERE applied = 0 AND received_at < ?',
  )
  const forgetAmendments = db.prepare<[string]>(
    'DELETE FROM wa_amendments WHERE target_wamid IN (SELECT value FROM json_each(?))',
  )
  const stranded = db.prepare<[], { wamid: string }>(
    `SELECT s.wamid FROM wa_statuses s JOIN wa_messages m ON m.wamid = s.wamid WHERE s.applied = 0
     UNION
     SELECT r.target_wamid FROM wa_reactions r JOIN wa_messages m ON m.wamid = r.target_wamid
     WHERE r.applied = 0`,
  )
  const statusesApplied = db.prepare<[string]>(
    'UPDATE wa_statuses SET applied = 1 WHERE wamid = ? AND applied = 0',
  )
  const reaction = db.prepare<
    [string, string],
    { targetWamid: string; contactId: string; emoji: string | null; at: number; applied: number }
  >(
    `SELECT target_wamid AS targetWamid, contact_id AS contactId, emoji, at, applied
     FROM wa_reactions WHERE target_wamid = ? AND contact_id = ?`,
  )
  const upsertReaction = db.prepare(
    `INSERT INTO wa_reactions (target_wamid, contact_id, emoji, at, applied)
     SELECT @targetWamid, @contactId, @emoji, @at, @applied
     WHERE ${notForgotten('@targetWamid')}
     ON CONFLICT (target_wamid, contact_id) DO UPDATE SET
       emoji = excluded.emoji, at = excluded.at, applied = excluded.applied`,
  )
  const pendingReactions = db.prepare<
    [string],
    { targetWamid: string; contactId: string; emoji: string | null; at: number; applied: number }
  >(
    `SELECT target_wamid AS targetWamid, contact_id AS contactId, emoji, at, applied
     FROM wa_reactions WHERE target_wamid = ? AND applied = 0`,
  )
  const anyPending = db.prepare<[], { n: number }>(
    'SELECT EXISTS (SELECT 1 FROM wa_reactions WHERE applied = 0) AS n',
  )
  const reactionApplied = db.prepare<[string, string]>(
    'UPDATE wa_reactions SET applied = 1 WHERE target_wamid = ? AND contact_id = ?',
  )
  const pruneStatuses = db.prepare<[number]>(
    'DELETE FROM wa_statuses WHERE applied = 0 AND received_at < ?',
  )
  const pruneReactions = db.prepare<[number]>(
    'DELETE FROM wa_reactions WHERE applied = 0 AND at < ?',
  )
  const ofConversation = db.prepare<[string], { wamid: string }>(
    'SELECT wamid FROM wa_messages WHERE conversation_id = ?',
  )
  const insertTombstone = db.prepare<[string, string, number]>(
    `INSERT INTO wa_messages (wamid, direction, conversation_id, message_id, created_at)
     VALUES (?, ?, '', '', ?) ON CONFLICT DO NOTHING`,
  )
  const tombstone = db.prepare<[number, string]>(
    `UPDATE wa_messages SET conversation_id = '', message_id = '', created_at = ?
     WHERE wamid IN (SELECT value FROM json_each(?))`,
  )
  const forgetStatuses = db.prepare<[string]>(
    'DELETE FROM wa_statuses WHERE wamid IN (SELECT value FROM json_each(?))',
  )
  const forgetReactions = db.prepare<[string]>(
    'DELETE FROM wa_reactions WHERE target_wamid IN (SELECT value FROM json_each(?))',
  )
  const toReaction = (row: {
    targetWamid: string
    contactId: string
    emoji: string | null
    at: number
    applied: number
  }): ReactionRow => ({ ...row, applied: row.applied === 1 })

  return {
    get: (wamid) => get.get(wamid),
    getMany(wamids) {
      const found = new Map<string, WaMessageRow>()
      if (wamids.length === 0) return found
      for (const row of getMany.all(JSON.stringify(wamids))) found.set(row.wamid, row)
      return found
    },
    statusKeys(wamids) {
      if (wamids.length === 0) return new Set()
      return new Set(statusKeys.all(JSON.stringify(wamids)).map((row) => row.key))
    },
    insert: (row) => insert.run(row).changes > 0,
    status(wamid, name) {
      const row = status.get(wamid, name)
      return row && { applied: row.applied === 1 }
    },
    insertStatus: (row, applied, receivedAt) =>
      void insertStatus.run({
        billingCategory: null,
        conversationOrigin: null,
        ...row,
        applied: applied ? 1 : 0,
        receivedAt,
      }),
    amendmentKeys(wamids) {
      if (wamids.length === 0) return new Set()
      return new Set(amendmentKeys.all(JSON.stringify(wamids)).map((row) => row.wamid))
    },
    insertAmendment: (row, receivedAt) =>
      void insertAmendment.run({ ...row, applied: row.applied ? 1 : 0, receivedAt }),
    pendingAmendments: (targetWamid) =>
      pendingAmendments.all(targetWamid).map((row) => ({ ...row, applied: row.applied === 1 })),
    anyPendingAmendments: () => anyPendingAmendments.get()!.n === 1,
    markAmendmentApplied: (wamid) => void amendmentApplied.run(wamid),
    pendingStatuses: (wamid) => pendingStatuses.all(wamid),
    strandedStatusWamids: () => stranded.all().map((row) => row.wamid),
    markStatusesApplied: (wamid) => void statusesApplied.run(wamid),
    reaction(targetWamid, contactId) {
      const row = reaction.get(targetWamid, contactId)
      return row && toReaction(row)
    },
    upsertReaction: (row) => void upsertReaction.run({ ...row, applied: row.applied ? 1 : 0 }),
    pendingReactions: (targetWamid) => pendingReactions.all(targetWamid).map(toReaction),
    anyPendingReactions: () => anyPending.get()!.n === 1,
    markReactionApplied: (targetWamid, contactId) =>
      void reactionApplied.run(targetWamid, contactId),
    prunePending: (before) =>
      pruneStatuses.run(before).changes +
      pruneReactions.run(before).changes +
      pruneAmendments.run(before).changes,
    forgetConversation(conversationId, known, now) {
      // One scan of the index by conversation (it has no index on it: deletes are rare).
      const wamids = new Set(ofConversation.all(conversationId).map((row) => row.wamid))
      for (const { wamid, direction } of known) {
        // A known wamid the index lacks (a crash between the document and the index, a send whose
        // wamid was never recorded) is tombstoned too; one indexed elsewhere is left alone.
        if (!wamids.has(wamid) && insertTombstone.run(wamid, direction, now).changes > 0) {
          wamids.add(wamid)
        }
      }
      if (wamids.size === 0) return 0
      const list = JSON.stringify([...wamids])
      forgetStatuses.run(list)
      forgetReactions.run(list)
      forgetAmendments.run(list)
      tombstone.run(now, list)
      return wamids.size
    },
  }
}
