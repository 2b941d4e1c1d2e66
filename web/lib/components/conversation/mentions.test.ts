import { expect, test } from 'vitest'
import { insertMention, matchAgents, mentionedIds, mentionQuery } from './mentions'

const team = [
  { id: '1', name: 'Ana Souza' },
  { id: '2', name: 'Bruno Lima' },
  { id: '3', name: 'Álvaro Reis' },
]

test('an @ at a word start opens a query; inside a word it does not', () => {
  expect(mentionQuery('hello @an', 9)).toEqual({ start: 6, query: 'an' })
  expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' })
  expect(mentionQuery('mail me at a@b', 14)).toBeNull()
  expect(mentionQuery('@ana done', 9)).toBeNull()
})

test('matching ignores case and accents, any word of the name', () => {
  expect(matchAgents(team, 'al').map((a) => a.id)).toEqual(['3'])
  expect(matchAgents(team, 'lim').map((a) => a.id)).toEqual(['2'])
  expect(matchAgents(team, '').length).toBe(3)
})

test('inserting a mention and reading back who is still mentioned', () => {
  const { text, caret } = insertMention('hi @an', 3, 6, 'Ana Souza')
  expect(text).toBe('hi @Ana Souza ')
  expect(caret).toBe(text.length)
  expect(mentionedIds(text + 'and @Bruno Lima', team)).toEqual(['1', '2'])
  expect(mentionedIds('nobody', team)).toEqual([])
})
