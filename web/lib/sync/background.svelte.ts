/* eslint-disable svelte/prefer-svelte-reactivity -- the Maps and Sets here are local lookups, or immutable values held in $state.raw and replaced whole: none is meant to be reactive itself */
import { conversationDocName } from '@atende/shared'
import { acquireDoc, openDocNames, type DocLease } from './doc-pool'
import type { DocSync } from './doc-sync.svelte'
import { network } from './network.svelte'
import { evictOfflineDocs, readOfflineSet, touchOfflineDoc } from './offline-set'
import { outbox } from './outbox.svelte'

export interface BackgroundSyncOptions {
  agentId: string
  /** The conversations assigned to this agent ("Mine"), read reactively from the inbox. */
  mine: () => readonly { id: string; lastMessageAt: number }[]
}

/** Wait after start-up before prefetching, so the inbox and the open thread load first. */
const PREFETCH_DELAY_MS = 3000
const PREFETCH_CONCURRENCY = 2
const PREFETCH_TIMEOUT_MS = 20_000
/** A document whose prefetch failed is not tried again before this. */
const RETRY_AFTER_MS = 30_000

/**
 * What keeps the device ready to work offline, while the agent does something else:
 *  - documents with writes still to send (the outbox, which survives reloads) are opened and kept
 *    open until the server has confirmed every write, whichever conversation is on screen;
 *  - the conversations of "Mine" are fetched into IndexedDB, and fetched again when they change;
 *  - the local set stays bounded (see `offline-set.ts`).
 * Returns a function that stops it all.
 */
export function startBackgroundSync(options: BackgroundSyncOptions): () => void {
  const { agentId } = options
  const pushing = new Map<string, DocLease>()
  const failedAt = new Map<string, number>()
  const queue: string[] = []
  let active = 0
  let stopped = false
  let prefetchAllowed = false
  const startTimer = setTimeout(() => {
    prefetchAllowed = true
    pump()
  }, PREFETCH_DELAY_MS)

  const mineNames = () => new Set(options.mine().map((card) => conversationDocName(card.id)))

  function pump(): void {
    while (!stopped && prefetchAllowed && network.online && active < PREFETCH_CONCURRENCY) {
      const docName = queue.shift()
      if (!docName) break
      active++
      void prefetch(docName).finally(() => {
        active--
        if (queue.length === 0 && active === 0) void evict()
        pump()
      })
    }
  }

  async function prefetch(docName: string): Promise<void> {
    const lease = acquireDoc(docName)
    try {
      if (await whenServerSynced(lease.sync, PREFETCH_TIMEOUT_MS)) {
        await lease.sync.flush()
        touchOfflineDoc(agentId, docName, { synced: true })
        failedAt.delete(docName)
      } else {
        failedAt.set(docName, Date.now())
      }
    } finally {
      lease.release()
    }
  }

  function evict(): Promise<unknown> {
    const mine = mineNames()
    const open = new Set(openDocNames())
    return evictOfflineDocs(agentId, {
      // Undelivered writes live only in their local copy: it stays until the agent dismisses them.
      pinned: (name) =>
        open.has(name) ||
        outbox.pendingOf(name).length > 0 ||
        outbox.undeliveredOf(name) !== undefined,
      preferred: (name) => mine.has(name),
    })
  }

  const stopEffects = $effect.root(() => {
    // The outbox: hold every document that has writes to send until they are all confirmed.
    $effect(() => {
      const names = new Set(outbox.docNames)
      for (const name of names) if (!pushing.has(name)) pushing.set(name, acquireDoc(name))
      for (const [name, lease] of pushing) {
        if (!names.has(name)) {
          pushing.delete(name)
          lease.release()
        }
      }
    })

    // "Mine": queue the conversations whose local copy is older than their last activity.
    $effect(() => {
      const cards = options.mine()
      if (!network.online) return
      const registry = readOfflineSet(agentId)
      const now = Date.now()
      for (const card of cards) {
        const docName = conversationDocName(card.id)
        const syncedAt = registry[docName]?.syncedAt ?? 0
        const stale = syncedAt < card.lastMessageAt || syncedAt === 0
        const recentlyFailed = now - (failedAt.get(docName) ?? 0) < RETRY_AFTER_MS
        if (stale && !recentlyFailed && !queue.includes(docName)) queue.push(docName)
      }
      pump()
    })
  })

  return () => {
    stopped = true
    clearTimeout(startTimer)
    stopEffects()
    for (const lease of pushing.values()) lease.release()
    pushing.clear()
  }
}

/** Resolves true once the document has synced with the server, false after `timeoutMs`. */
export function whenServerSynced(sync: DocSync, timeoutMs: number): Promise<boolean> {
  if (sync.provider.synced) return Promise.resolve(true)
  return new Promise((resolve) => {
    const onSync = (synced: boolean) => {
      if (!synced) return
      clearTimeout(timer)
      sync.provider.off('sync', onSync)
      resolve(true)
    }
    const timer = setTimeout(() => {
      sync.provider.off('sync', onSync)
      resolve(false)
    }, timeoutMs)
    sync.provider.on('sync', onSync)
  })
}
