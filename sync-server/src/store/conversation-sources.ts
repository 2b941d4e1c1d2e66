/**
 * Where conversations came from (migration 012): the click-to-WhatsApp ad or post of their
 * earliest referred customer message, for the contact panel's "came from" and the reports'
 * conversations by source. Recording is idempotent and order-free: the earliest referral wins,
 * whichever arrives first.
 */
import type { Db } from './db.js'

/** A conversation that came with no referral. */
export const DIRECT_SOURCE = 'direct'

export interface SourceStore {
  /** The conversation was referred by `source` (`ad`, `post`) at `at` (WhatsApp time). */
  record(conversationId: string, source: string, at: number): void
  /** `[started_at, source]` of the conversations started in [from, to), by start. */
  startedBetween(from: number, to: number): Array<[startedAt: number, source: string]>
}

export function createSourceStore(db: Db): SourceStore {
  const upsert = db.prepare<[string, string, number]>(
    `INSERT INTO report_conversation_sources (conversation_id, source, at) VALUES (?, ?, ?)
     ON CONFLICT (conversation_id) DO UPDATE SET source = excluded.source, at = excluded.at
     WHERE excluded.at < report_conversation_sources.at`,
  )
  const started = db
    .prepare<[string, number, number], [number, string]>(
      `SELECT c.started_at, coalesce(s.source, ?)
       FROM report_conversations c
       LEFT JOIN report_conversation_sources s ON s.conversation_id = c.id
       WHERE c.started_at >= ? AND c.started_at < ? ORDER BY c.started_at`,
    )
    .raw(true)
  return {
    record: (conversationId, source, at) => void upsert.run(conversationId, source, at),
    startedBetween: (from, to) => started.all(DIRECT_SOURCE, from, to),
  }
}
