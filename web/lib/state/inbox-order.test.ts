import type { InboxSummary } from '@atende/shared'
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { sortInbox } from './inbox-order'

const card = (id: string, lastMessageAt: number) => ({ id, lastMessageAt }) as InboxSummary

test('latest activity first, ties by id', () => {
  const sorted = sortInbox([card('b', 1), card('c', 3), card('a', 1)])
  expect(sorted.map((c) => c.id)).toEqual(['c', 'a', 'b'])
})

test('the order does not depend on the order cards arrived in', () => {
  const cards = fc.uniqueArray(
    fc.record({ id: fc.uuid(), lastMessageAt: fc.integer({ min: 0, max: 5 }) }),
    { selector: (c) => c.id, maxLength: 20 },
  )
  fc.assert(
    fc.property(cards, (list) => {
      const forward = sortInbox(list as InboxSummary[]).map((c) => c.id)
      const backward = sortInbox([...list].reverse() as InboxSummary[]).map((c) => c.id)
      expect(backward).toEqual(forward)
    }),
  )
})
