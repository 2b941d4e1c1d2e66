import { parseDocName, type DocName } from '@atende/shared'
import type { Logger } from '../log.js'
import type { DocumentStore } from '../store/documents.js'
import { CLOSE } from './protocol.js'
import { SharedDoc } from './shared-doc.js'

export interface DocManagerOptions {
  store: DocumentStore
  log: Logger
  /** Unload a document this long after its last peer left and nothing touched it. */
  idleMs?: number
  /** Fold the update log into the snapshot once it holds this many updates. */
  compactAfter?: number
}

export class UnknownDocument extends Error {
  readonly code = 'unknown_document'
}

/**
 * Loads documents lazily from SQLite, keeps one instance per name, compacts update logs as they
 * grow, and unloads documents nobody uses.
 */
export class DocManager {
  private readonly docs = new Map<string, SharedDoc>()
  private readonly compactions = new Set<SharedDoc>()
  private readonly store: DocumentStore
  private readonly log: Logger
  private readonly idleMs: number
  private readonly compactAfter: number
  private readonly sweeper: NodeJS.Timeout
  private readonly loadListeners = new Set<(doc: SharedDoc) => void>()
  private batching = false

  constructor(options: DocManagerOptions) {
    this.store = options.store
    this.log = options.log
    this.idleMs = options.idleMs ?? 30_000
    this.compactAfter = options.compactAfter ?? 500
    this.sweeper = setInterval(() => this.sweep(), Math.max(1000, this.idleMs / 2))
    this.sweeper.unref()
  }

  /**
   * Calls `listener` with every document as it is loaded (and with those loaded already), so
   * server modules can observe documents without owning their life cycle. Returns an unsubscribe.
   */
  onLoad(listener: (doc: SharedDoc) => void): () => void {
    this.loadListeners.add(listener)
    for (const shared of this.docs.values()) listener(shared)
    return () => this.loadListeners.delete(listener)
  }

  /** The parsed name when a document of that name may be served now, else null. */
  resolve(name: string): DocName | null {
    const parsed = parseDocName(name)
    if (!parsed) return null
    if (parsed.kind === 'conversation' && !this.store.conversationExists(parsed.conversationId))
      return null
    return parsed
  }

  /** The loaded document, loading it from disk first if needed. Throws for unknown names. */
  get(name: string): SharedDoc {
    const loaded = this.docs.get(name)
    if (loaded && !loaded.broken) {
      loaded.lastUsed = Date.now()
      return loaded
    }
    const parsed = this.resolve(name)
    if (!parsed) throw new UnknownDocument(`no document named ${name}`)
    const started = performance.now()
    const shared = new SharedDoc(parsed, this.store, this.log, {
      onLogGrown: (doc, length) => {
        if (length >= this.compactAfter) this.scheduleCompaction(doc)
      },
      onBroken: (doc) => queueMicrotask(() => this.discard(doc)),
      inBatch: () => this.batching,
    })
    this.docs.set(name, shared)
    for (const listener of this.loadListeners) listener(shared)
    // A long log (from a crash before compaction) is folded right away, so the next load is short.
    if (shared.logSize >= this.compactAfter) shared.compact()
    this.log.debug('document loaded', { doc: name, ms: Math.round(performance.now() - started) })
    return shared
  }

  /**
   * Runs server writes to several documents as one SQLite transaction: everything `work` writes,
   * in any document (and whatever observers record in SQLite meanwhile), commits once at the end,
   * and only then is broadcast. One commit instead of one per document is what lets webhook bursts
   * touching many conversations keep up. If the commit fails, the documents written are dropped
   * from memory (they reload from disk) and the error is thrown.
   */
  batch<T>(work: () => T): T {
    if (this.batching) return work()
    this.batching = true
    const written: Array<[SharedDoc, NonNullable<ReturnType<SharedDoc['persist']>>]> = []
    try {
      return this.store.transaction(() => {
        const result = work()
        for (const shared of this.docs.values()) {
          const persisted = shared.persist()
          if (persisted) written.push([shared, persisted])
        }
        return result
      })
    } catch (err) {
      for (const [shared] of written) shared.markBroken(err)
      for (const shared of this.docs.values()) if (shared.hasPending) shared.markBroken(err)
      written.length = 0
      throw err
    } finally {
      this.batching = false
      for (const [shared, persisted] of written) shared.broadcast(persisted)
    }
  }

  /** The document if it is loaded, without loading it. */
  peek(name: string): SharedDoc | undefined {
    return this.docs.get(name)
  }

  get loadedCount(): number {
    return this.docs.size
  }

  /** Deletes a document for good: its peers are told it is gone, then it is removed from disk. */
  remove(name: string): void {
    const shared = this.docs.get(name)
    if (shared) {
      for (const peer of shared.peers.keys()) peer.close(CLOSE.gone, 'document removed')
      this.docs.delete(name)
      this.compactions.delete(shared)
      shared.destroy()
    }
    this.store.remove(name)
  }

  /** Unloads idle documents (no peers, untouched for `idleMs`), compacting them first. */
  sweep(now = Date.now()): void {
    for (const shared of [...this.docs.values()]) {
      if (shared.peers.size === 0 && now - shared.lastUsed >= this.idleMs) this.unload(shared)
    }
  }

  /** Compacts and unloads everything (shutdown). */
  close(): void {
    clearInterval(this.sweeper)
    for (const shared of [...this.docs.values()]) {
      for (const peer of shared.peers.keys()) peer.close(CLOSE.shuttingDown, 'server shutting down')
      this.unload(shared)
    }
  }

  private unload(shared: SharedDoc): void {
    try {
      shared.compact()
    } catch (err) {
      this.log.error('compaction failed', { doc: shared.name.name, err })
    }
    this.compactions.delete(shared)
    if (this.docs.get(shared.name.name) === shared) this.docs.delete(shared.name.name)
    shared.destroy()
  }

  /** Compaction runs once the current burst of frames is handled, not in the middle of it. */
  private scheduleCompaction(shared: SharedDoc): void {
    if (this.compactions.has(shared)) return
    this.compactions.add(shared)
    setImmediate(() => {
      if (!this.compactions.delete(shared) || shared.broken) return
      try {
        shared.compact()
      } catch (err) {
        this.log.error('compaction failed', { doc: shared.name.name, err })
      }
    })
  }

  /** A document whose update could not be stored: drop it from memory; peers resync from disk. */
  private discard(shared: SharedDoc): void {
    for (const peer of shared.peers.keys())
      peer.close(CLOSE.serverError, 'storage error, reconnect')
    if (this.docs.get(shared.name.name) === shared) this.docs.delete(shared.name.name)
    this.compactions.delete(shared)
    shared.destroy()
  }
}
