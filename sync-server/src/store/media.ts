import type { Db } from './db.js'

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker'
export type MediaStatus = 'pending' | 'ready' | 'failed'

/** A customer's file: Meta's id to fetch it by, ours to serve it by (DATA_DIR/media/<id>). */
export interface CustomerMediaRow {
  id: string
  conversationId: string
  messageId: string
  waMediaId: string
  kind: MediaKind
  mimeType: string
  fileName: string | null
  /** As the webhook gave it (base64, or hex). */
  sha256: string | null
  size: number | null
  status: MediaStatus
  attempts: number
  nextAttemptAt: number | null
  error: string | null
}

/** What the media route needs to serve any stored file, customer's or agent's. */
export interface ServableMedia {
  id: string
  kind: MediaKind | null
  mimeType: string
  fileName: string | null
  size: number | null
  status: MediaStatus
  /** Absolute, or relative to DATA_DIR/media; null for the default place (`<id>`). */
  path: string | null
}

export interface MediaStore {
  /** Inserts a pending download, due now; ignored when the id exists. */
  insertPending(
    row: Omit<CustomerMediaRow, 'status' | 'attempts' | 'nextAttemptAt' | 'error' | 'size'>,
    now: number,
  ): void
  get(id: string): CustomerMediaRow | undefined
  /** Downloads due at `now`, soonest first. */
  due(now: number, limit: number): CustomerMediaRow[]
  /** When the next download is due, or null. */
  nextDueAt(): number | null
  markReady(id: string, size: number, now: number): void
  /** A failed attempt: retried at `nextAttemptAt`, or never again when null. */
  markFailed(
    id: string,
    error: string,
    attempts: number,
    nextAttemptAt: number | null,
    now: number,
  ): void
  /** Customer media first, then agents' attachments (the outbound side's `agent_media`). */
  servable(id: string): ServableMedia | undefined
}

const COLUMNS = `id, conversation_id AS conversationId, message_id AS messageId,
  wa_media_id AS waMediaId, kind, mime_type AS mimeType, file_name AS fileName, sha256, size,
  status, attempts, next_attempt_at AS nextAttemptAt, error`

export function createMediaStore(db: Db): MediaStore {
  const insert = db.prepare(
    `INSERT INTO customer_media (id, conversation_id, message_id, wa_media_id, kind, mime_type,
       file_name, sha256, status, next_attempt_at, created_at, updated_at)
     VALUES (@id, @conversationId, @messageId, @waMediaId, @kind, @mimeType, @fileName, @sha256,
       'pending', @now, @now, @now)
     ON CONFLICT DO NOTHING`,
  )
  const byId = db.prepare<[string], CustomerMediaRow>(
    `SELECT ${COLUMNS} FROM customer_media WHERE id = ?`,
  )
  const due = db.prepare<[number, number], CustomerMediaRow>(
    `SELECT ${COLUMNS} FROM customer_media
     WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`,
  )
  const nextDue = db.prepare<[], { at: number | null }>(
    'SELECT min(next_attempt_at) AS at FROM customer_media WHERE next_attempt_at IS NOT NULL',
  )
  const ready = db.prepare<[number, number, string]>(
    `UPDATE customer_media SET status = 'ready', size = ?, error = NULL, next_attempt_at = NULL,
       attempts = attempts + 1, updated_at = ? WHERE id = ?`,
  )
  const failed = db.prepare<[string, number, number | null, number, string]>(
    `UPDATE customer_media SET status = 'failed', error = ?, attempts = ?, next_attempt_at = ?,
       updated_at = ? WHERE id = ?`,
  )
  // The outbound side's table, when its migration is there (it always is in the server).
  let agentMedia: ((id: string) => ServableMedia | undefined) | null = null
  try {
    const statement = db.prepare<
      [string],
      { mimeType: string; fileName: string | null; size: number; path: string }
    >(
      'SELECT mime_type AS mimeType, file_name AS fileName, size, path FROM agent_media WHERE id = ?',
    )
    agentMedia = (id) => {
      const row = statement.get(id)
      return row && { id, kind: null, status: 'ready', ...row }
    }
  } catch {
    agentMedia = null
  }

  return {
    insertPending: (row, now) => void insert.run({ ...row, now }),
    get: (id) => byId.get(id),
    due: (now, limit) => due.all(now, limit),
    nextDueAt: () => nextDue.get()?.at ?? null,
    markReady: (id, size, now) => void ready.run(size, now, id),
    markFailed: (id, error, attempts, nextAttemptAt, now) =>
      void failed.run(error, attempts, nextAttemptAt, now, id),
    servable(id) {
      const row = byId.get(id)
      if (row) {
        const { kind, mimeType, fileName, size, status } = row
        return { id, kind, mimeType, fileName, size, status, path: null }
      }
      return agentMedia?.(id)
    },
  }
}
