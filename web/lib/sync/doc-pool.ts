import * as Y from 'yjs'
import { DocSync } from './doc-sync.svelte'
import { forgetOfflineDoc } from './offline-set'

/**
 * Conversation documents open in this tab, shared by whoever needs one: the thread on screen, the
 * background sync that pushes offline writes, the prefetch of "Mine". One Y.Doc and one DocSync
 * per document, reference-counted, so two users of a document never diverge. A document released
 * by everyone stays warm for a while (going back to a conversation is then instant) and is closed
 * after its local copy has been flushed to IndexedDB.
 */
export interface DocLease {
  readonly doc: Y.Doc
  readonly sync: DocSync
  release(): void
}

export interface DocPoolOptions {
  agentId: string
  onUnauthorized: () => Promise<boolean>
}

interface Entry {
  doc: Y.Doc
  sync: DocSync
  refs: number
  closeTimer?: ReturnType<typeof setTimeout>
}

const WARM_MS = 60_000
const MAX_WARM = 6

let options: DocPoolOptions | null = null
const entries = new Map<string, Entry>()

/** Set once by the signed-in layout; `closeAllDocs` undoes it at sign-out. */
export function configureDocPool(next: DocPoolOptions): void {
  if (options && options.agentId !== next.agentId) closeAllDocs()
  options = next
}

export function acquireDoc(docName: string): DocLease {
  if (!options) throw new Error('the document pool is not configured (no signed-in agent)')
  let entry = entries.get(docName)
  if (!entry) {
    const doc = new Y.Doc()
    const sync = new DocSync({
      doc,
      docName,
      agentId: options.agentId,
      onUnauthorized: options.onUnauthorized,
    })
    entry = { doc, sync, refs: 0 }
    entries.set(docName, entry)
  }
  clearTimeout(entry.closeTimer)
  entry.refs++
  const held = entry
  let released = false
  return {
    doc: held.doc,
    sync: held.sync,
    release: () => {
      if (released) return
      released = true
      held.refs--
      if (held.refs === 0) keepWarm(docName, held)
    },
  }
}

/** Documents open right now (on screen, warm or syncing in the background). */
export function openDocNames(): string[] {
  return [...entries.keys()]
}

export function closeAllDocs(): void {
  for (const [name, entry] of entries) close(name, entry)
}

/**
 * Drops a document's local copy for good: closes it in this tab (whoever holds it: their lease
 * is dead, they acquire it again) and deletes its IndexedDB copy. For a copy that holds writes the
 * server will never take, once the agent has dismissed them; acquiring it again starts afresh
 * from the server.
 */
export async function discardLocalCopy(docName: string): Promise<void> {
  const entry = entries.get(docName)
  if (entry) {
    close(docName, entry)
    // y-indexeddb closes its database asynchronously; the deletion waits for that.
    await entry.sync.persistence._db.then((db) => db.close()).catch(() => undefined)
  }
  if (options) await forgetOfflineDoc(options.agentId, docName)
}

function keepWarm(docName: string, entry: Entry): void {
  entry.closeTimer = setTimeout(() => void closeWhenIdle(docName, entry), WARM_MS)
  const idle = [...entries].filter(([, other]) => other.refs === 0)
  // Too many warm documents: close the ones released longest ago (Map order is insertion order).
  for (const [name, other] of idle.slice(0, Math.max(0, idle.length - MAX_WARM))) {
    void closeWhenIdle(name, other)
  }
}

async function closeWhenIdle(docName: string, entry: Entry): Promise<void> {
  clearTimeout(entry.closeTimer)
  await entry.sync.flush()
  if (entry.refs === 0 && entries.get(docName) === entry) close(docName, entry)
}

function close(docName: string, entry: Entry): void {
  clearTimeout(entry.closeTimer)
  entries.delete(docName)
  entry.sync.destroy()
  entry.doc.destroy()
}
