import type { Message } from '@atende/shared'
import { expect, test } from 'vitest'
import { buildThreadRows, createThreadRowBuilder } from './thread-rows'

const at = (y: number, m: number, d: number, h = 12) => new Date(y, m - 1, d, h).getTime()
const message = (id: string, createdAt: number) => ({ id, createdAt, kind: 'note' }) as Message

test('a separator starts each day', () => {
  const rows = buildThreadRows([
    message('a', at(2025, 1, 1, 9)),
    message('b', at(2025, 1, 1, 18)),
    message('c', at(2025, 1, 2, 8)),
  ])
  expect(rows.map((row) => (row.kind === 'day' ? 'day' : row.key))).toEqual([
    'day',
    'a',
    'b',
    'day',
    'c',
  ])
})

test('separator keys stay unique when a day comes back', () => {
  const rows = buildThreadRows([
    message('a', at(2025, 1, 1)),
    message('b', at(2025, 1, 2)),
    message('c', at(2025, 1, 1)),
  ])
  const keys = rows.map((row) => row.key)
  expect(new Set(keys).size).toBe(keys.length)
})

test('no messages, no rows', () => {
  expect(buildThreadRows([])).toEqual([])
})

test('the incremental builder gives what a full build gives', () => {
  const build = createThreadRowBuilder()
  const all = [
    message('a', at(2025, 1, 1, 9)),
    message('b', at(2025, 1, 1, 18)),
    message('c', at(2025, 1, 2, 8)),
    message('d', at(2025, 1, 2, 9)),
    message('e', at(2025, 1, 4, 9)),
  ]
  for (let n = 0; n <= all.length; n++) {
    expect(build(all.slice(0, n))).toEqual(buildThreadRows(all.slice(0, n)))
  }
  // A message inserted further up (the server orders late webhooks by time): full rebuild.
  const inserted = [all[0]!, message('x', at(2025, 1, 1, 10)), ...all.slice(1)]
  expect(build(inserted)).toEqual(buildThreadRows(inserted))
})
