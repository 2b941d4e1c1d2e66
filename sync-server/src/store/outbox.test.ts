import { describe, expect, it } from 'vitest'
import { openDatabase } from './db.js'
import { createOutbox, INTERRUPTED_NOTE } from './outbox.js'

function setup() {
  return createOutbox(openDatabase(':memory:'))
}

describe('outbox', () => {
  it('queues a message once however often it is seen', () => {
    const outbox = setup()
    expect(outbox.enqueue('m1', 'c1', 1)).toBe(true)
    expect(outbox.enqueue('m1', 'c1', 2)).toBe(false)
    outbox.begin('m1', 3)
    outbox.finishSent('m1', 'wamid.1', 4)
    expect(outbox.enqueue('m1', 'c1', 5)).toBe(false)
    expect(outbox.get('m1')).toMatchObject({
      state: 'sent',
      wamid: 'wamid.1',
      attempt: 1,
      synced: false,
    })
  })

  it('offers only the first queued message of each conversation', () => {
    const outbox = setup()
    outbox.enqueue('a1', 'a', 1)
    outbox.enqueue('b1', 'b', 1)
    outbox.enqueue('a2', 'a', 1)
    expect(outbox.heads().map((row) => row.messageId)).toEqual(['a1', 'b1'])
    outbox.begin('a1', 2)
    expect(outbox.heads().map((row) => row.messageId)).toEqual(['b1', 'a2']) // a1 is in flight: the worker holds lane a
    outbox.backOff('b1', 'throughput', 100, 3, true)
    expect(outbox.heads().map((row) => row.messageId)).toEqual(['a2', 'b1'])
  })

  it('moves only from the states each transition allows', () => {
    const outbox = setup()
    outbox.enqueue('m', 'c', 1)
    expect(outbox.finishSent('m', 'w', 2)).toBe(false) // not sending
    expect(outbox.finishUnknown('m', 'lost', 2)).toBe(false)
    expect(outbox.requeue('m', 2)).toBe(false) // queued already
    expect(outbox.begin('m', 2)).toMatchObject({ state: 'sending', attempt: 1, startedAt: 2 })
    expect(outbox.begin('m', 3)).toBeNull() // one attempt at a time
    expect(outbox.finishSent('m', 'w', 4)).toBe(true)
    expect(outbox.finishFailed('m', 'late', 5)).toBe(false) // sent is final for the worker
    expect(outbox.requeue('m', 6)).toBe(true) // an agent's retry after a failed status report
    expect(outbox.get('m')).toMatchObject({ state: 'queued', attempt: 0, wamid: null })
  })

  it('turns attempts cut off by a restart into unknown, never back into queued', () => {
    const outbox = setup()
    outbox.enqueue('m1', 'c', 1)
    outbox.enqueue('m2', 'c', 1)
    outbox.begin('m1', 2)
    expect(outbox.recoverInterrupted(3)).toBe(1)
    expect(outbox.get('m1')).toMatchObject({
      state: 'unknown',
      error: INTERRUPTED_NOTE,
      synced: false,
    })
    expect(outbox.get('m2')?.state).toBe('queued')
    expect(outbox.unsynced().map((row) => row.messageId)).toEqual(['m1'])
    outbox.markSynced('m1')
    expect(outbox.unsynced()).toEqual([])
  })

  it('puts a retried message at the back of the queue', () => {
    const outbox = setup()
    outbox.enqueue('m1', 'c', 1)
    outbox.begin('m1', 2)
    outbox.finishFailed('m1', 'undeliverable', 3)
    outbox.enqueue('m2', 'c', 4)
    outbox.requeue('m1', 5)
    expect(outbox.heads().map((row) => row.messageId)).toEqual(['m2'])
  })
})
