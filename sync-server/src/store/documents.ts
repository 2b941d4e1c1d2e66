import type { Db } from './db.js'

/**
 * Yjs documents on disk: a compacted snapshot plus an append-only log of updates written since.
 * Appends are what an accepted write costs; compaction folds the log into the snapshot so that
 * loading a document reads one snapshot and a bounded log, however long its history.
 */
export interface DocumentStore {
  /** The snapshot (or null) and every update since it, oldest first. */
  load(name: string): { snapshot: Uint8Array | null; updates: Uint8Array[] }
  /** Appends updates in one transaction; returns how many updates the log now holds. */
  append(name: string, updates: readonly Uint8Array[]): number
  /** Replaces snapshot and log by `state` (the document's full state as one update). */
  compact(name: string, state: Uint8Array): void
  /** Deletes the document for good. */
  remove(name: string): void
  /** Whether a conversation with this id is open (so its document may be served). */
  conversationExists(id: string): boolean
  /** Runs `work` in one SQLite transaction (nested calls become savepoints). */
  transaction<T>(work: () => T): T
}

export function createDocumentStore(db: Db): DocumentStore {
  const selectSnapshot = db.prepare<[string], { snapshot: Buffer | null }>(
    'SELECT snapshot FROM ydocs WHERE name = ?',
  )
  const selectUpdates = db.prepare<[string], { data: Buffer }>(
    'SELECT data FROM ydoc_updates WHERE doc_name = ? ORDER BY seq',
  )
  const insertUpdate = db.prepare<[string, Uint8Array]>(
    'INSERT INTO ydoc_updates (doc_name, data) VALUES (?, ?)',
  )
  const countUpdates = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM ydoc_updates WHERE doc_name = ?',
  )
  const upsertSnapshot = db.prepare<[string, Uint8Array, number]>(
    `INSERT INTO ydocs (name, snapshot, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET snapshot = excluded.snapshot, updated_at = excluded.updated_at`,
  )
  const deleteUpdates = db.prepare<[string]>('DELETE FROM ydoc_updates WHERE doc_name = ?')
  const deleteDoc = db.prepare<[string]>('DELETE FROM ydocs WHERE name = ?')
  const selectConversation = db.prepare<[string], { status: string }>(
    'SELECT status FROM conversations WHERE id = ?',
  )
  // Counting the log on every append would cost a scan; keep a per-document count in memory,
  // seeded on load and reset by compaction.
  const logLength = new Map<string, number>()

  const append = db.transaction((name: string, updates: readonly Uint8Array[]) => {
    for (const update of updates) insertUpdate.run(name, update)
  })
  const compact = db.transaction((name: string, state: Uint8Array) => {
    upsertSnapshot.run(name, state, Date.now())
    deleteUpdates.run(name)
  })
  const remove = db.transaction((name: string) => {
    deleteUpdates.run(name)
    deleteDoc.run(name)
  })

  return {
    load(name) {
      const snapshot = selectSnapshot.get(name)?.snapshot ?? null
      const updates = selectUpdates.all(name).map((row) => row.data)
      logLength.set(name, updates.length)
      return { snapshot, updates }
    },
    append(name, updates) {
      const before = logLength.get(name) ?? countUpdates.get(name)?.n ?? 0
      append(name, updates)
      logLength.set(name, before + updates.length)
      return before + updates.length
    },
    compact(name, state) {
      compact(name, state)
      logLength.set(name, 0)
    },
    remove(name) {
      remove(name)
      logLength.delete(name)
    },
    transaction: (work) => db.transaction(work)(),
    conversationExists(id) {
      const row = selectConversation.get(id)
      return row !== undefined && row.status !== 'closed'
    },
  }
}
