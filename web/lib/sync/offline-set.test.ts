import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { evictOfflineDocs, readOfflineSet, touchOfflineDoc } from './offline-set'

const agent = 'a0000000-0000-4000-8000-000000000001'
let deleted: string[]

beforeEach(() => {
  const store = new Map<string, string>()
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => void store.set(key, value),
  })
  deleted = []
  vi.stubGlobal('indexedDB', {
    deleteDatabase(name: string) {
      deleted.push(name)
      const request: { onsuccess?: () => void } = {}
      queueMicrotask(() => request.onsuccess?.())
      return request
    },
  })
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

/** Uses `count` documents one millisecond apart, oldest first. */
function useDocs(count: number): string[] {
  const names = Array.from({ length: count }, (_, i) => `conversation:doc-${i}`)
  for (const name of names) {
    touchOfflineDoc(agent, name)
    vi.advanceTimersByTime(1)
  }
  return names
}

describe('the offline set', () => {
  it('keeps at most the limit, deleting the least recently used local copies', async () => {
    const names = useDocs(5)
    touchOfflineDoc(agent, names[0]!) // opened again: now the most recent
    const evicted = await evictOfflineDocs(agent, {
      limit: 3,
      pinned: () => false,
      preferred: () => false,
    })
    expect(evicted).toEqual([names[1], names[2]])
    expect(deleted).toEqual([`atende:${agent}:${names[1]}`, `atende:${agent}:${names[2]}`])
    expect(Object.keys(readOfflineSet(agent)).sort()).toEqual([names[0], names[3], names[4]].sort())
  })

  it('never evicts a pinned document, and evicts others before "Mine"', async () => {
    const names = useDocs(4)
    const evicted = await evictOfflineDocs(agent, {
      limit: 2,
      pinned: (name) => name === names[0], // open, or with writes to send
      preferred: (name) => name === names[1], // one of Mine
    })
    expect(evicted).toEqual([names[2], names[3]])
  })

  it('does nothing under the limit', async () => {
    useDocs(3)
    expect(
      await evictOfflineDocs(agent, { limit: 3, pinned: () => false, preferred: () => false }),
    ).toEqual([])
    expect(deleted).toEqual([])
  })
})
