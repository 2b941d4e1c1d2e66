import fc from 'fast-check'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { applyArrayDelta, type ArrayDelta } from './array-delta'

test('an append is the old list plus the new items', () => {
  expect(applyArrayDelta([1, 2], [{ retain: 2 }, { insert: [3] }])).toEqual([1, 2, 3])
  expect(applyArrayDelta([], [{ insert: [1] }])).toEqual([1])
})

test('the plain copy follows any sequence of Y.Array changes', () => {
  const change = fc.oneof(
    fc.record({
      kind: fc.constant('push' as const),
      values: fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      values: fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant('delete' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 3 }),
    }),
  )
  fc.assert(
    fc.property(fc.array(change, { maxLength: 30 }), (changes) => {
      const doc = new Y.Doc()
      const array = doc.getArray<number>('messages')
      let copy: number[] = []
      array.observe((event) => {
        copy = applyArrayDelta(copy, event.changes.delta as ArrayDelta)
      })
      for (const step of changes) {
        if (step.kind === 'push') array.push(step.values)
        else if (step.kind === 'insert') array.insert(step.at % (array.length + 1), step.values)
        else if (array.length > 0) {
          const at = step.at % array.length
          array.delete(at, Math.min(step.length, array.length - at))
        }
        expect(copy).toEqual(array.toArray())
      }
    }),
  )
})
