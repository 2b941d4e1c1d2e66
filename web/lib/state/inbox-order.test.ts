import type { InboxSummary } from '@atende/shared'
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { applyInboxChanges, sortInbox } from './inbox-order'

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

test('applying changes in place gives the same list as sorting from scratch', () => {
  const ids = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h')
  const time = fc.integer({ min: 0, max: 4 })
  // A sequence of puts (new or replaced card) and deletes, as the inbox map sees them.
  const ops = fc.array(fc.tuple(ids, fc.option(time, { nil: undefined })), { maxLength: 40 })
  fc.assert(
    fc.property(ops, (sequence) => {
      const current = new Map<string, InboxSummary>()
      const sorted: InboxSummary[] = []
      for (const [id, at] of sequence) {
        const before = current.get(id)
        const after = at === undefined ? undefined : card(id, at)
        if (after) current.set(id, after)
        else current.delete(id)
        applyInboxChanges(sorted, [{ before, after }])
      }
      expect(sorted).toEqual(sortInbox([...current.values()]))
    }),
  )
})
