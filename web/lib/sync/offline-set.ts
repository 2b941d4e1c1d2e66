import { localDatabaseName } from './provider'

/**
 * The conversation documents kept on this device for offline use: those the agent opened and all
 * of "Mine". y-indexeddb opens one database per document, so the set is bounded: past
 * `OFFLINE_SET_LIMIT` documents, the least recently used are deleted (never one with writes still
 * to send, one open right now, or one of "Mine" while others can go first).
 *
 * The registry (what is kept, when it was last used and last synced) is a small JSON object in
 * localStorage; the documents themselves are in IndexedDB.
 */
export const OFFLINE_SET_LIMIT = 200

export interface OfflineEntry {
  /** Last opened or prefetched (ms epoch). */
  usedAt: number
  /** Last time the local copy was brought up to date with the server (ms epoch), or 0. */
  syncedAt: number
}

type Registry = Record<string, OfflineEntry>

function key(agentId: string): string {
  return `atende.offline-set:${agentId}`
}

export function readOfflineSet(agentId: string): Registry {
  try {
    const raw = localStorage.getItem(key(agentId))
    const value: unknown = raw ? JSON.parse(raw) : {}
    return typeof value === 'object' && value !== null ? (value as Registry) : {}
  } catch {
    return {}
  }
}

function write(agentId: string, registry: Registry): void {
  try {
    localStorage.setItem(key(agentId), JSON.stringify(registry))
  } catch {
    // Without storage nothing is evicted; IndexedDB still holds the documents.
  }
}

/** Notes that a document was used (and, with `synced`, that its local copy is up to date). */
export function touchOfflineDoc(
  agentId: string,
  docName: string,
  change: { synced?: boolean } = {},
): void {
  const registry = readOfflineSet(agentId)
  const now = Date.now()
  const current = registry[docName]
  registry[docName] = {
    usedAt: now,
    syncedAt: change.synced ? now : (current?.syncedAt ?? 0),
  }
  write(agentId, registry)
}

export interface EvictOptions {
  /** Documents that must stay whatever their age (open, or with writes to send). */
  pinned: (docName: string) => boolean
  /** Documents to keep before the others ("Mine"). */
  preferred: (docName: string) => boolean
  limit?: number
}

/** Deletes the oldest local copies past the limit; resolves with the names deleted. */
export async function evictOfflineDocs(agentId: string, options: EvictOptions): Promise<string[]> {
  const limit = options.limit ?? OFFLINE_SET_LIMIT
  const registry = readOfflineSet(agentId)
  const names = Object.keys(registry)
  if (names.length <= limit) return []
  const candidates = names
    .filter((name) => !options.pinned(name))
    .sort(
      (a, b) =>
        Number(options.preferred(a)) - Number(options.preferred(b)) ||
        registry[a]!.usedAt - registry[b]!.usedAt,
    )
  const victims = candidates.slice(0, names.length - limit)
  for (const name of victims) delete registry[name]
  write(agentId, registry)
  await Promise.all(
    victims.map(
      (name) =>
        new Promise<void>((resolve) => {
          const request = indexedDB.deleteDatabase(localDatabaseName(agentId, name))
          request.onsuccess = request.onerror = request.onblocked = () => resolve()
        }),
    ),
  )
  return victims
}

/**
 * Deletes one document's local copy and its registry entry. Resolves once IndexedDB has deleted
 * it (or, if another tab keeps it open, after `blockedMs`: it goes when that tab lets go).
 */
export function forgetOfflineDoc(
  agentId: string,
  docName: string,
  blockedMs = 2000,
): Promise<void> {
  const registry = readOfflineSet(agentId)
  if (registry[docName]) {
    delete registry[docName]
    write(agentId, registry)
  }
  return new Promise<void>((resolve) => {
    let request: IDBOpenDBRequest
    try {
      request = indexedDB.deleteDatabase(localDatabaseName(agentId, docName))
    } catch {
      resolve()
      return
    }
    request.onsuccess = request.onerror = () => resolve()
    request.onblocked = () => setTimeout(resolve, blockedMs)
  })
}
