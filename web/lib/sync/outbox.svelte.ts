import { browser } from '$app/environment'

/**
 * Local writes the server has not confirmed yet: message ids per document, kept in localStorage so
 * that they survive a reload made offline. The Yjs updates themselves are in IndexedDB (y-indexeddb);
 * this list only says which documents still have something to send, so they can be reopened and
 * pushed in the background, and lets the connection indicator count what is left ("syncing").
 *
 * An id leaves the list when the server acknowledged the update that carried it (see `DocSync`).
 */
class Outbox {
  /** Document name → ids of local messages not yet confirmed by the server. */
  byDoc = $state.raw<Record<string, readonly string[]>>({})
  #key: string | null = null

  constructor() {
    if (!browser) return
    window.addEventListener('storage', (event) => {
      // Another tab of the same agent wrote or confirmed something.
      if (this.#key && event.key === this.#key) this.byDoc = this.#load()
    })
  }

  /** Local writes not yet confirmed, in all documents. */
  get count(): number {
    let total = 0
    for (const ids of Object.values(this.byDoc)) total += ids.length
    return total
  }

  /** Documents that still have local writes to send. */
  get docNames(): string[] {
    return Object.keys(this.byDoc)
  }

  /** Scopes the outbox to the signed-in agent (called before any document opens). */
  open(agentId: string): void {
    const key = `atende.outbox:${agentId}`
    if (this.#key === key) return
    this.#key = key
    this.byDoc = this.#load()
  }

  pendingOf(docName: string): readonly string[] {
    return this.byDoc[docName] ?? []
  }

  add(docName: string, ids: readonly string[]): void {
    const current = this.byDoc[docName] ?? []
    const next = [...current, ...ids.filter((id) => !current.includes(id))]
    this.#save({ ...this.byDoc, [docName]: next })
  }

  confirm(docName: string, ids: Iterable<string>): void {
    const current = this.byDoc[docName]
    if (!current) return
    const done = new Set(ids)
    const left = current.filter((id) => !done.has(id))
    if (left.length === current.length) return
    const next = { ...this.byDoc }
    if (left.length > 0) next[docName] = left
    else delete next[docName]
    this.#save(next)
  }

  #load(): Record<string, readonly string[]> {
    if (!this.#key) return {}
    try {
      const raw = localStorage.getItem(this.#key)
      const value: unknown = raw ? JSON.parse(raw) : {}
      if (typeof value !== 'object' || value === null) return {}
      const result: Record<string, readonly string[]> = {}
      for (const [name, ids] of Object.entries(value)) {
        if (Array.isArray(ids) && ids.length > 0) {
          result[name] = ids.filter((id): id is string => typeof id === 'string')
        }
      }
      return result
    } catch {
      return {}
    }
  }

  #save(next: Record<string, readonly string[]>): void {
    this.byDoc = next
    if (!this.#key) return
    try {
      if (Object.keys(next).length === 0) localStorage.removeItem(this.#key)
      else localStorage.setItem(this.#key, JSON.stringify(next))
    } catch {
      // Without storage the writes still sync while this tab stays open.
    }
  }
}

export const outbox = new Outbox()
