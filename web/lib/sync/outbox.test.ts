import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { outbox } from './outbox.svelte'

const doc = 'conversation:c0000000-0000-4000-8000-000000000001'
let store: Map<string, string>
let agentNumber = 0

beforeEach(() => {
  store = new Map<string, string>()
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => void store.set(key, value),
    removeItem: (key: string) => void store.delete(key),
  })
  // A fresh agent per test: the outbox is a singleton scoped by `open`.
  outbox.open(`a0000000-0000-4000-8000-00000000000${++agentNumber}`)
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('outbox: writes the server will never take', () => {
  it('leave the count of writes to send and are kept as undelivered, with why', () => {
    outbox.add(doc, ['m1', 'm2', 'm3'])
    expect(outbox.count).toBe(3)
    outbox.confirm(doc, ['m1'])
    outbox.giveUp(doc, ['m2', 'm3'], 'gone')
    expect(outbox.count).toBe(0)
    expect(outbox.docNames).toEqual([])
    expect(outbox.undeliveredOf(doc)).toMatchObject({ ids: ['m2', 'm3'], reason: 'gone' })
  })

  it('survive a reload, and what the API said about them is kept', () => {
    outbox.add(doc, ['m1'])
    outbox.giveUp(doc, ['m1'], 'gone')
    outbox.explain(doc, { reason: 'closed', ticketNumber: '20260101-0001' })
    // A later, vaguer close does not forget that it was closed, and where it was filed.
    outbox.giveUp(doc, ['m2'], 'gone')
    const key = `atende.undelivered:a0000000-0000-4000-8000-00000000000${agentNumber}`
    expect(JSON.parse(store.get(key)!)).toMatchObject({
      [doc]: { ids: ['m1', 'm2'], reason: 'closed', ticketNumber: '20260101-0001' },
    })
  })

  it('filed with the conversation after all: no longer undelivered; dismissed: forgotten', () => {
    outbox.giveUp(doc, ['m1', 'm2'], 'refused')
    outbox.delivered(doc, ['m1'])
    expect(outbox.undeliveredOf(doc)?.ids).toEqual(['m2'])
    outbox.dismiss(doc)
    expect(outbox.undeliveredOf(doc)).toBeUndefined()
    expect([...store.keys()].some((key) => key.startsWith('atende.undelivered:'))).toBe(false)
  })
})
