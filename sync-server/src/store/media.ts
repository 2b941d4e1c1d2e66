import fs from 'node:fs'
import path from 'node:path'
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
  /** Why the downloaded bytes do not match `mimeType` (served as a download only), or null. */
  mismatch: string | null
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
  /** Content that does not match its type: served as an octet-stream download, never inline. */
  mismatch?: string | null
}

export interface MediaStore {
  /** Inserts a pending download, due now; ignored when the id exists. */
  insertPending(
    row: Omit<
      CustomerMediaRow,
      'status' | 'attempts' | 'nextAttemptAt' | 'error' | 'size' | 'mismatch'
    >,
    now: number,
  ): void
  get(id: string): CustomerMediaRow | undefined
  /** Downloads due at `now`, soonest first. */
  due(now: number, limit: number): CustomerMediaRow[]
  /** When the next download is due, or null. */
  nextDueAt(): number | null
  /** Downloaded; `mismatch` says why its content does not match its type (null: it does). */
  markReady(id: string, size: number, now: number, mismatch?: string | null): void
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
  /** Deletes a conversation's rows (inside the deletion's transaction); their ids, to unlink. */
  removeConversation(conversationId: string): string[]
  /**
   * Start-up sweep of DATA_DIR/media (`dir`): rows, customers' and agents', of conversations that
   * no longer exist go, then every file no row names that is older than `graceMs` (files being
   * written have no row yet). Retries the unlinks a deletion could not do; a failed one is counted.
   */
  sweep(dir: string, now: number, graceMs?: number): Promise<SweepResult>
}

export interface SweepResult {
  rows: number
  files: number
  failed: number
}

/**
 * Where stored media lives for this database: DATA_DIR/media beside DATA_DIR/atende.db (main.ts
 * opens the one, inbound/index.ts and outbound/attachments.ts write the other). Null in memory.
 */
export function mediaDirOf(db: Db): string | null {
  if (!db.name || db.name === ':memory:') return null
  return path.join(path.dirname(db.name), 'media')
}

/** The file of a customer's media (`<dir>/<id>`). */
export function customerMediaFile(dir: string, id: string): string {
  return path.join(dir, id)
}

export interface Unlinked {
  removed: number
  /** Files that could not be removed, as their base names (media ids, no directories). */
  failed: Array<{ name: string; code: string | null }>
}

/**
 * Removes files (and their `.part` leftovers); a missing file is fine. Synchronous: a deletion
 * answers once its files are gone. Failures carry only the base name (a media id), never the path,
 * which may name a customer's number through DATA_DIR; they are retried by the next start's sweep.
 */
export function unlinkMediaFiles(files: readonly string[]): Unlinked {
  const result: Unlinked = { removed: 0, failed: [] }
  for (const file of files) {
    for (const candidate of [file, `${file}.part`]) {
      try {
        fs.unlinkSync(candidate)
        if (candidate === file) result.removed++
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? null
        if (code !== 'ENOENT') result.failed.push({ name: path.basename(candidate), code })
      }
    }
  }
  return result
}

const COLUMNS = `id, conversation_id AS conversationId, message_id AS messageId,
  wa_media_id AS waMediaId, kind, mime_type AS mimeType, file_name AS fileName, sha256, size,
  status, attempts, next_attempt_at AS nextAttemptAt, error, mismatch`

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
  const ready = db.prepare<[number, string | null, number, string]>(
    `UPDATE customer_media SET status = 'ready', size = ?, mismatch = ?, error = NULL,
       next_attempt_at = NULL, attempts = attempts + 1, updated_at = ? WHERE id = ?`,
  )
  const failed = db.prepare<[string, number, number | null, number, string]>(
    `UPDATE customer_media SET status = 'failed', error = ?, attempts = ?, next_attempt_at = ?,
       updated_at = ? WHERE id = ?`,
  )
  const byConversation = db.prepare<[string], { id: string }>(
    'SELECT id FROM customer_media WHERE conversation_id = ?',
  )
  const removeByConversation = db.prepare<[string]>(
    'DELETE FROM customer_media WHERE conversation_id = ?',
  )
  const removeOrphans = db.prepare(
    'DELETE FROM customer_media WHERE conversation_id NOT IN (SELECT id FROM conversations)',
  )
  const allIds = db.prepare<[], { id: string }>('SELECT id FROM customer_media')
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

  // Agents' attachments, for the sweep (same place, same table check as above).
  let agentFiles: { orphans(): number; paths(): string[] } | null = null
  try {
    const orphans = db.prepare(
      'DELETE FROM agent_media WHERE conversation_id NOT IN (SELECT id FROM conversations)',
    )
    const paths = db.prepare<[], { path: string }>('SELECT path FROM agent_media')
    agentFiles = {
      orphans: () => orphans.run().changes,
      paths: () => paths.all().map((row) => row.path),
    }
  } catch {
    agentFiles = null
  }

  async function sweep(dir: string, now: number, graceMs = 60 * 60_000): Promise<SweepResult> {
    const result: SweepResult = { rows: 0, files: 0, failed: 0 }
    let names: string[]
    try {
      // A crash or a race (an upload finishing after its conversation was deleted) leaves rows.
      result.rows = db.transaction(
        () => removeOrphans.run().changes + (agentFiles?.orphans() ?? 0),
      )()
      names = await fs.promises.readdir(dir)
    } catch {
      return result // no media directory yet, or nothing readable: nothing to sweep
    }
    // Read after the listing: a file written meanwhile has a row or is younger than the grace.
    // Compared by name (agents' rows may hold a path relative to the working directory).
    const known = new Set(allIds.all().map((row) => row.id))
    for (const file of agentFiles?.paths() ?? []) known.add(path.basename(file))
    for (const name of names) {
      if (known.has(name)) continue
      const file = path.join(dir, name)
      try {
        const stat = await fs.promises.stat(file)
        if (!stat.isFile() || now - stat.mtimeMs < graceMs) continue
        await fs.promises.unlink(file)
        result.files++
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') result.failed++
      }
    }
    return result
  }

  return {
    insertPending: (row, now) => void insert.run({ ...row, now }),
    get: (id) => byId.get(id),
    due: (now, limit) => due.all(now, limit),
    nextDueAt: () => nextDue.get()?.at ?? null,
    markReady: (id, size, now, mismatch = null) => void ready.run(size, mismatch, now, id),
    markFailed: (id, error, attempts, nextAttemptAt, now) =>
      void failed.run(error, attempts, nextAttemptAt, now, id),
    servable(id) {
      const row = byId.get(id)
      if (row) {
        const { kind, mimeType, fileName, size, status, mismatch } = row
        return { id, kind, mimeType, fileName, size, status, path: null, mismatch }
      }
      return agentMedia?.(id)
    },
    removeConversation(conversationId) {
      const ids = byConversation.all(conversationId).map((row) => row.id)
      if (ids.length > 0) removeByConversation.run(conversationId)
      return ids
    },
    sweep,
  }
}
