import { browser } from '$app/environment'

/**
 * Why the server will never take some local writes:
 *  - `refused`: it closed the socket with 4403 (the update breaks the document's rules);
 *  - `gone`: the conversation was removed (4410, or 4404 on reconnecting), not yet known how;
 *  - `closed` / `deleted`: the same, once the API has said which (see `$lib/actions/undelivered`).
 */
export type UndeliveredReason = 'refused' | 'gone' | 'closed' | 'deleted'

/** Local writes of one document that will never be delivered, until the agent dismisses them. */
export interface UndeliveredWrites {
  ids: readonly string[]
  reason: UndeliveredReason
  /** The ticket a closed conversation was filed in, when known. */
  ticketNumber?: string
  /** When the server turned them down (ms epoch). */
  at: number
}

/**
 * Local writes the server has not confirmed yet: message ids per document, kept in localStorage so
 * that they survive a reload made offline. The Yjs updates themselves are in IndexedDB (y-indexeddb);
 * this list only says which documents still have something to send, so they can be reopened and
 * pushed in the background, and lets the connection indicator count what is left ("syncing").
 *
 * An id leaves the list when the server acknowledged the update that carried it (see `DocSync`),
 * or when the server made clear it never will (a 4403, 4404 or 4410 close): it then moves to
 * `undelivered`, which the connection indicator does not count and the thread shows as "Not
 * delivered" until the agent dismisses it. The local copy of such a document is kept till then.
 */
class Outbox {
  /** Document name → ids of local messages not yet confirmed by the server. */
  byDoc = $state.raw<Record<string, readonly string[]>>({})
  /** Document name → local writes the server will never take. */
  undelivered = $state.raw<Record<string, UndeliveredWrites>>({})
  #key: string | null = null

  constructor() {
    if (!browser) return
    window.addEventListener('storage', (event) => {
      // Another tab of the same agent wrote, confirmed or gave up on something.
      if (!this.#key) return
      if (event.key === this.#key) this.byDoc = this.#load()
      if (event.key === this.#undeliveredKey) this.undelivered = this.#loadUndelivered()
    })
  }

  get #undeliveredKey(): string | null {
    return this.#key && this.#key.replace('atende.outbox:', 'atende.undelivered:')
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
    this.undelivered = this.#loadUndelivered()
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

  /** The writes of a document the server will never take, if any. */
  undeliveredOf(docName: string): UndeliveredWrites | undefined {
    return this.undelivered[docName]
  }

  /**
   * The server will never take these writes: they leave the outbox (and the "to send" count) and
   * are kept as undelivered, with why, until the agent dismisses them.
   */
  giveUp(docName: string, ids: readonly string[], reason: UndeliveredReason): void {
    if (ids.length === 0) return
    this.confirm(docName, ids)
    const current = this.undelivered[docName]
    const kept = current?.ids ?? []
    this.#saveUndelivered({
      ...this.undelivered,
      [docName]: {
        ...current,
        ids: [...kept, ...ids.filter((id) => !kept.includes(id))],
        // What is known already (closed, with its ticket) beats a later, vaguer 'gone'.
        reason: current && reason === 'gone' ? current.reason : reason,
        at: Date.now(),
      },
    })
  }

  /** Records what the API said about a removed conversation (closed, and where it was filed). */
  explain(docName: string, change: Pick<UndeliveredWrites, 'reason' | 'ticketNumber'>): void {
    const current = this.undelivered[docName]
    if (!current) return
    this.#saveUndelivered({ ...this.undelivered, [docName]: { ...current, ...change } })
  }

  /** Some writes turned out to have reached the server after all (filed with the conversation). */
  delivered(docName: string, ids: Iterable<string>): void {
    const current = this.undelivered[docName]
    if (!current) return
    const done = new Set(ids)
    const left = current.ids.filter((id) => !done.has(id))
    if (left.length === current.ids.length) return
    const next = { ...this.undelivered }
    if (left.length > 0) next[docName] = { ...current, ids: left }
    else delete next[docName]
    this.#saveUndelivered(next)
  }

  /** The agent has seen (and copied what they needed of) a document's undelivered writes. */
  dismiss(docName: string): void {
    if (!this.undelivered[docName]) return
    const next = { ...this.undelivered }
    delete next[docName]
    this.#saveUndelivered(next)
  }

  #loadUndelivered(): Record<string, UndeliveredWrites> {
    const key = this.#undeliveredKey
    if (!key) return {}
    try {
      const raw = localStorage.getItem(key)
      const value: unknown = raw ? JSON.parse(raw) : {}
      if (typeof value !== 'object' || value === null) return {}
      const result: Record<string, UndeliveredWrites> = {}
      for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
        const writes = entry as Partial<UndeliveredWrites> | null
        if (!writes || !Array.isArray(writes.ids) || typeof writes.reason !== 'string') continue
        const ids = writes.ids.filter((id): id is string => typeof id === 'string')
        if (ids.length === 0) continue
        result[name] = {
          ids,
          reason: writes.reason,
          at: typeof writes.at === 'number' ? writes.at : 0,
          ...(typeof writes.ticketNumber === 'string' ? { ticketNumber: writes.ticketNumber } : {}),
        }
      }
      return result
    } catch {
      return {}
    }
  }

  #saveUndelivered(next: Record<string, UndeliveredWrites>): void {
    this.undelivered = next
    const key = this.#undeliveredKey
    if (!key) return
    try {
      if (Object.keys(next).length === 0) localStorage.removeItem(key)
      else localStorage.setItem(key, JSON.stringify(next))
    } catch {
      // Without storage they are shown while this tab stays open.
    }
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
