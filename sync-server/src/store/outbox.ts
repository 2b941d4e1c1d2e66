/**
 * The outbox: one SQLite row per agent message to hand to WhatsApp, and its state machine.
 *
 *   queued ──begin──▶ sending ──answer──▶ sent | failed | unknown
 *     ▲   ╲                    ╲ retryable error: back to queued, next_attempt_at later
 *     │    ╲ refused before any call (window, recipient, upload): failed
 *     └──── requeue (an agent's retry) ◀── failed | unknown | sent (a failed status report)
 *
 * The Graph API has no idempotency key, so `begin` is committed before the call: a row still
 * `sending` when the process starts again belongs to an attempt whose outcome is lost, and
 * {@link Outbox.recoverInterrupted} turns it into `unknown` (shown to the agent, who decides
 * whether to risk a duplicate), never back into `queued`. Every transition is a compare-and-set on
 * the current state, so two writers can never both move a row.
 *
 * `begin` also records the recipient; with `started_at` (kept until the row's next attempt) that
 * is what the per-customer cap counts ({@link Outbox.attemptsTo}), so the cap survives a restart.
 * A queued row the cap holds back only gets a later `next_attempt_at` ({@link Outbox.hold}).
 *
 * Deleting a conversation deletes its rows in the deletion's transaction (transcripts.ts `purge`,
 * through {@link Outbox.removeConversation}). A send in flight then finds its row gone: every
 * transition is a compare-and-set, so none applies and nothing is settled or recorded. (Its
 * attempts then no longer count towards that customer's cap.)
 *
 * The worker that drives these rows is whatsapp/outbound/sender.ts.
 */
import type { Db } from './db.js'

export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed', 'unknown'] as const
export type OutboxState = (typeof OUTBOX_STATES)[number]

export interface OutboxRow {
  messageId: string
  conversationId: string
  /** Queue order: within a conversation, messages are sent by ascending seq. */
  seq: number
  state: OutboxState
  /** Attempts made so far (uploads and sends). */
  attempt: number
  nextAttemptAt: number
  /** When the last attempt began (kept while queued again: the per-customer cap counts it). */
  startedAt: number | null
  /** The Graph `to` of the last attempt. */
  recipient: string | null
  wamid: string | null
  /** The media id Meta gave our upload, reused by later attempts while it is fresh. */
  graphMediaId: string | null
  uploadedAt: number | null
  /** Readable reason for failed/unknown, or the last retryable error while queued. */
  error: string | null
  /** False until the outcome is written to the doc (and a sent wamid recorded). */
  synced: boolean
  createdAt: number
  updatedAt: number
}

interface RawRow {
  message_id: string
  conversation_id: string
  seq: number
  state: OutboxState
  attempt: number
  next_attempt_at: number
  started_at: number | null
  recipient: string | null
  wamid: string | null
  graph_media_id: string | null
  uploaded_at: number | null
  error: string | null
  synced: number
  created_at: number
  updated_at: number
}

const toRow = (raw: RawRow): OutboxRow => ({
  messageId: raw.message_id,
  conversationId: raw.conversation_id,
  seq: raw.seq,
  state: raw.state,
  attempt: raw.attempt,
  nextAttemptAt: raw.next_attempt_at,
  startedAt: raw.started_at,
  recipient: raw.recipient,
  wamid: raw.wamid,
  graphMediaId: raw.graph_media_id,
  uploadedAt: raw.uploaded_at,
  error: raw.error,
  synced: raw.synced === 1,
  createdAt: raw.created_at,
  updatedAt: raw.updated_at,
})

/** What an agent reads next to a message whose attempt was cut off by a restart. */
export const INTERRUPTED_NOTE =
  'the server stopped while sending: it may or may not have reached the customer (retry to send it again)'

export interface Outbox {
  /** Queues a message unless it already has a row (in any state); true when a row was added. */
  enqueue(messageId: string, conversationId: string, now: number): boolean
  get(messageId: string): OutboxRow | undefined
  /** The first queued row of each conversation (the only one that may be sent next), by due time. */
  heads(): OutboxRow[]
  /**
   * queued → sending, attempt + 1, `startedAt` and `recipient` recorded, committed before the
   * Graph call; null if not queued.
   */
  begin(messageId: string, now: number, recipient?: string): OutboxRow | null
  /**
   * When the attempts to `recipient` that began in (`since`, `until`] started, oldest first: every
   * row counts once, by its last attempt, whatever its state now.
   */
  attemptsTo(recipient: string, since: number, until: number): number[]
  /** A queued row waits (no attempt, no error): its next attempt is not before `until`. */
  hold(messageId: string, until: number, now: number): boolean
  /** Remembers the uploaded media id (row still queued). */
  setUploaded(messageId: string, graphMediaId: string, now: number): void
  /** queued|sending → queued again after a retryable error; `countAttempt` for pre-send errors. */
  backOff(
    messageId: string,
    error: string,
    nextAttemptAt: number,
    now: number,
    countAttempt: boolean,
  ): boolean
  /** sending → sent. */
  finishSent(messageId: string, wamid: string, now: number): boolean
  /** queued|sending → failed (refused before the call, or a final Graph error). */
  finishFailed(messageId: string, error: string, now: number): boolean
  /** sending → unknown (the answer was lost). */
  finishUnknown(messageId: string, note: string, now: number): boolean
  /** The outcome is in the doc (and a sent wamid recorded). */
  markSynced(messageId: string): void
  /** Rows whose outcome still has to be written to their doc. */
  unsynced(): OutboxRow[]
  /** failed|unknown|sent → queued at the back of the queue (an agent's retry); false otherwise. */
  requeue(messageId: string, now: number): boolean
  /** Start-up: every `sending` row → `unknown` (unsynced). Returns how many. */
  recoverInterrupted(now: number): number
  /** Drops a row (a message that must never be sent, e.g. not an agent message). */
  remove(messageId: string): void
  /** The wamids Meta gave the conversation's sends (a deletion forgets them with it). */
  sentWamids(conversationId: string): string[]
  /** Drops every row of a conversation (its deletion). */
  removeConversation(conversationId: string): void
}

export function createOutbox(db: Db): Outbox {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO outbox (message_id, conversation_id, seq, state, next_attempt_at, created_at, updated_at)
     VALUES (@messageId, @conversationId, (SELECT coalesce(max(seq), 0) + 1 FROM outbox), 'queued', @now, @now, @now)`,
  )
  const byId = db.prepare<[string], RawRow>('SELECT * FROM outbox WHERE message_id = ?')
  const heads = db.prepare<[], RawRow>(
    `SELECT * FROM outbox WHERE state = 'queued' AND seq IN
       (SELECT min(seq) FROM outbox WHERE state = 'queued' GROUP BY conversation_id)
     ORDER BY next_attempt_at, seq`,
  )
  const begin = db.prepare(
    `UPDATE outbox SET state = 'sending', attempt = attempt + 1, started_at = @now,
       recipient = @recipient, updated_at = @now
     WHERE message_id = @messageId AND state = 'queued'`,
  )
  const attemptsTo = db.prepare<[string, number, number], { started_at: number }>(
    `SELECT started_at FROM outbox WHERE recipient = ? AND started_at > ? AND started_at <= ?
     ORDER BY started_at`,
  )
  const hold = db.prepare(
    `UPDATE outbox SET next_attempt_at = max(next_attempt_at, @until), updated_at = @now
     WHERE message_id = @messageId AND state = 'queued'`,
  )
  const uploaded = db.prepare(
    `UPDATE outbox SET graph_media_id = @graphMediaId, uploaded_at = @now, updated_at = @now
     WHERE message_id = @messageId AND state = 'queued'`,
  )
  const backOff = db.prepare(
    `UPDATE outbox SET state = 'queued', error = @error, next_attempt_at = @nextAttemptAt,
       attempt = attempt + @count, updated_at = @now
     WHERE message_id = @messageId AND state IN ('queued', 'sending')`,
  )
  const sent = db.prepare(
    `UPDATE outbox SET state = 'sent', wamid = @wamid, error = NULL, synced = 0, updated_at = @now
     WHERE message_id = @messageId AND state = 'sending'`,
  )
  const failed = db.prepare(
    `UPDATE outbox SET state = 'failed', error = @error, synced = 0, updated_at = @now
     WHERE message_id = @messageId AND state IN ('queued', 'sending')`,
  )
  const unknown = db.prepare(
    `UPDATE outbox SET state = 'unknown', error = @error, synced = 0, updated_at = @now
     WHERE message_id = @messageId AND state = 'sending'`,
  )
  const synced = db.prepare<[string]>('UPDATE outbox SET synced = 1 WHERE message_id = ?')
  const unsynced = db.prepare<[], RawRow>('SELECT * FROM outbox WHERE synced = 0 ORDER BY seq')
  const requeue = db.prepare(
    `UPDATE outbox SET state = 'queued', seq = (SELECT max(seq) + 1 FROM outbox), attempt = 0,
       next_attempt_at = @now, wamid = NULL, error = NULL, synced = 1, updated_at = @now
     WHERE message_id = @messageId AND state IN ('failed', 'unknown', 'sent')`,
  )
  const interrupted = db.prepare(
    `UPDATE outbox SET state = 'unknown', error = @error, synced = 0, updated_at = @now WHERE state = 'sending'`,
  )
  const remove = db.prepare<[string]>('DELETE FROM outbox WHERE message_id = ?')
  const sentWamids = db.prepare<[string], { wamid: string }>(
    'SELECT wamid FROM outbox WHERE conversation_id = ? AND wamid IS NOT NULL',
  )
  const removeConversation = db.prepare<[string]>('DELETE FROM outbox WHERE conversation_id = ?')

  const changed = (result: { changes: number }) => result.changes === 1
  return {
    enqueue: (messageId, conversationId, now) =>
      changed(insert.run({ messageId, conversationId, now })),
    get(messageId) {
      const raw = byId.get(messageId)
      return raw && toRow(raw)
    },
    heads: () => heads.all().map(toRow),
    begin(messageId, now, recipient) {
      if (!changed(begin.run({ messageId, now, recipient: recipient ?? null }))) return null
      return toRow(byId.get(messageId)!)
    },
    attemptsTo: (recipient, since, until) =>
      attemptsTo.all(recipient, since, until).map((row) => row.started_at),
    hold: (messageId, until, now) => changed(hold.run({ messageId, until, now })),
    setUploaded: (messageId, graphMediaId, now) =>
      void uploaded.run({ messageId, graphMediaId, now }),
    backOff: (messageId, error, nextAttemptAt, now, countAttempt) =>
      changed(backOff.run({ messageId, error, nextAttemptAt, now, count: countAttempt ? 1 : 0 })),
    finishSent: (messageId, wamid, now) => changed(sent.run({ messageId, wamid, now })),
    finishFailed: (messageId, error, now) => changed(failed.run({ messageId, error, now })),
    finishUnknown: (messageId, error, now) => changed(unknown.run({ messageId, error, now })),
    markSynced: (messageId) => void synced.run(messageId),
    unsynced: () => unsynced.all().map(toRow),
    requeue: (messageId, now) => changed(requeue.run({ messageId, now })),
    recoverInterrupted: (now) => interrupted.run({ error: INTERRUPTED_NOTE, now }).changes,
    remove: (messageId) => void remove.run(messageId),
    sentWamids: (conversationId) => sentWamids.all(conversationId).map((row) => row.wamid),
    removeConversation: (conversationId) => void removeConversation.run(conversationId),
  }
}
