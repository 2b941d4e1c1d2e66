import type { Db } from './db.js'

/** A stored webhook delivery: the exact bytes Meta signed. */
export interface WebhookEventRow {
  seq: number
  receivedAt: number
  body: Buffer
  /** It failed to apply before (kept with its reason) and is being retried. */
  retry: boolean
}

/**
 * The durable webhook intake log (`webhook_events`). A delivery is inserted before Meta is answered;
 * events are applied in `seq` order, so "applied" is one mark (`applied_through`, every event up to
 * it is settled) rather than a write per event. An event that could not be applied keeps its
 * reason in `error` and is retried at the next start, like everything after the mark.
 *
 * An applied event's row is deleted in the transaction that applies it (`forget`): its
 * content now lives in the documents and the wamid tables (which dedupe redeliveries), and the raw
 * body (customer text, phone numbers) must not outlive, say, the conversation being deleted.
 */
export interface WebhookEventStore {
  /** Inserts deliveries in one transaction; returns their sequence numbers, in order. */
  insertMany(bodies: readonly Buffer[], receivedAt: number): number[]
  /** Every event up to `seq` is settled: applied, or marked failed. */
  settleThrough(seq: number): void
  /** Keeps the events for a retry at the next start, with the reason. */
  markFailed(seqs: readonly number[], error: string): void
  /** Failed events that applied at a retry. */
  clearFailed(seqs: readonly number[]): void
  /** Deletes applied events (those not marked failed); with the applied mark, in one transaction. */
  forget(seqs: readonly number[]): void
  /** Events to apply after `afterSeq`: failed ones and those past the mark, oldest first. */
  unapplied(afterSeq: number, limit: number): WebhookEventRow[]
  /** Deletes settled, not failed, events received before `before` (left by older versions). */
  prune(before: number): number
  counts(): { total: number; unapplied: number }
}

export function createWebhookEventStore(db: Db): WebhookEventStore {
  const insert = db.prepare<[number, Buffer]>(
    'INSERT INTO webhook_events (received_at, body) VALUES (?, ?)',
  )
  const mark = `(SELECT coalesce(max(applied_through), 0) FROM webhook_intake)`
  const settle = db.prepare<[number]>(
    `INSERT INTO webhook_intake (id, applied_through) VALUES (1, ?)
     ON CONFLICT (id) DO UPDATE SET applied_through = max(applied_through, excluded.applied_through)`,
  )
  const failed = db.prepare<[string, number]>('UPDATE webhook_events SET error = ? WHERE seq = ?')
  const cleared = db.prepare<[number]>('UPDATE webhook_events SET error = NULL WHERE seq = ?')
  const applied = db.prepare<[number]>('DELETE FROM webhook_events WHERE seq = ? AND error IS NULL')
  const pending = db.prepare<
    { after: number; limit: number },
    { seq: number; receivedAt: number; body: Buffer; retry: number }
  >(
    `SELECT seq, received_at AS receivedAt, body, error IS NOT NULL AS retry FROM webhook_events
     WHERE seq > max(@after, ${mark})
     UNION ALL
     SELECT seq, received_at, body, 1 FROM webhook_events
     WHERE error IS NOT NULL AND seq > @after AND seq <= ${mark}
     ORDER BY seq LIMIT @limit`,
  )
  const prune = db.prepare<[number]>(
    `DELETE FROM webhook_events WHERE received_at < ? AND error IS NULL AND seq <= ${mark}`,
  )
  const counts = db.prepare<[], { total: number; unapplied: number }>(
    `SELECT count(*) AS total,
       count(*) FILTER (WHERE seq > ${mark} OR error IS NOT NULL) AS unapplied
     FROM webhook_events`,
  )

  const insertMany = db.transaction((bodies: readonly Buffer[], receivedAt: number) =>
    bodies.map((body) => Number(insert.run(receivedAt, body).lastInsertRowid)),
  )
  const markFailed = db.transaction((seqs: readonly number[], error: string) => {
    for (const seq of seqs) failed.run(error, seq)
  })
  const clearFailed = db.transaction((seqs: readonly number[]) => {
    for (const seq of seqs) cleared.run(seq)
  })
  const forget = db.transaction((seqs: readonly number[]) => {
    for (const seq of seqs) applied.run(seq)
  })

  return {
    insertMany: (bodies, receivedAt) => insertMany(bodies, receivedAt),
    settleThrough: (seq) => void settle.run(seq),
    markFailed: (seqs, error) => {
      if (seqs.length > 0) markFailed(seqs, error)
    },
    clearFailed: (seqs) => {
      if (seqs.length > 0) clearFailed(seqs)
    },
    forget: (seqs) => {
      if (seqs.length > 0) forget(seqs)
    },
    unapplied: (after, limit) =>
      pending.all({ after, limit }).map((row) => ({ ...row, retry: row.retry === 1 })),
    prune: (before) => prune.run(before).changes,
    counts: () => counts.get()!,
  }
}
