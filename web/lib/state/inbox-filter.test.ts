import type { InboxSummary } from '@atende/shared'
import { expect, test } from 'vitest'
import { applyInboxQuery, foldText, searchMatcher } from './inbox-filter'

const card = (id: string, contactName: string, phone: string, assigneeId: string | null) =>
  ({ id, contactName, phone, assigneeId, lastMessageAt: 0 }) as InboxSummary

const list = [
  card('1', 'José Álvares', '+5511987654321', 'me'),
  card('2', 'Maria Silva', '+5521912345678', null),
  card('3', 'Ana Paula', '+14155550123', 'other'),
]

test('search folds case and accents', () => {
  expect(foldText('JOSÉ Álvares')).toBe('jose alvares')
  expect(list.filter(searchMatcher('jose')).map((c) => c.id)).toEqual(['1'])
  expect(list.filter(searchMatcher('  SILVA ')).map((c) => c.id)).toEqual(['2'])
})

test('search by number ignores formatting', () => {
  expect(list.filter(searchMatcher('(21) 91234')).map((c) => c.id)).toEqual(['2'])
  expect(list.filter(searchMatcher('+1 415')).map((c) => c.id)).toEqual(['3'])
  expect(list.filter(searchMatcher('')).length).toBe(3)
})

test('views: all, mine, unassigned; oldest first reverses', () => {
  const query = { view: 'all', sort: 'newest', search: '' } as const
  expect(applyInboxQuery(list, query, 'me')).toBe(list)
  expect(applyInboxQuery(list, { ...query, view: 'mine' }, 'me').map((c) => c.id)).toEqual(['1'])
  expect(applyInboxQuery(list, { ...query, view: 'unassigned' }, 'me').map((c) => c.id)).toEqual([
    '2',
  ])
  expect(applyInboxQuery(list, { ...query, sort: 'oldest' }, 'me').map((c) => c.id)).toEqual([
    '3',
    '2',
    '1',
  ])
})
