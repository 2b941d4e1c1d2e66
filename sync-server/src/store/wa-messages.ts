import type { Db } from './db.js'

/** Where a WhatsApp message id (wamid) lives: our conversation and message ids. */
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
}

export interface ReactionRow {
  targetWamid: string
  contactId: string
  /** Null: the customer removed the reaction. */
  emoji: string | null
  at: number
  applied: boolean
}

/**
 * The wamid index (`wa_messages`), delivery statuses (`wa_statuses`) and reactions
 * (`wa_reactions`): the SQLite side of WhatsApp message identity, dedupe and late arrivals.
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
  /** Forgets statuses and reactions that waited longer than `before` for a wamid that never came. */
  prunePending(before: number): number
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
  const insertStatus = db.prepare(
    `INSERT INTO wa_statuses (wamid, status, at, error, applied, received_at)
     VALUES (@wamid, @status, @at, @error, @applied, @receivedAt) ON CONFLICT DO NOTHING`,
  )
  const pendingStatuses = db.prepare<[string], StatusRow>(
    'SELECT wamid, status, at, error FROM wa_statuses WHERE wamid = ? AND applied = 0 ORDER BY at',
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
     VALUES (@targetWamid, @contactId, @emoji, @at, @applied)
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
      void insertStatus.run({ ...row, applied: applied ? 1 : 0, receivedAt }),
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
      pruneStatuses.run(before).changes + pruneReactions.run(before).changes,
  }
}
