import { expect, test } from 'vitest'
import { linkify } from './linkify'

test('plain text stays text, markup included', () => {
  expect(linkify('<b>hi</b> & <script>alert(1)</script>')).toEqual([
    { kind: 'text', text: '<b>hi</b> & <script>alert(1)</script>' },
  ])
})

test('links are found and sentence punctuation is left out', () => {
  expect(linkify('See https://example.com/a?b=1, then www.test.org.')).toEqual([
    { kind: 'text', text: 'See ' },
    { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
    { kind: 'text', text: ', then ' },
    { kind: 'link', text: 'www.test.org', href: 'https://www.test.org/' },
    { kind: 'text', text: '.' },
  ])
})

test('parentheses: balanced ones stay, a closing one of the sentence goes', () => {
  const wiki = 'https://en.wikipedia.org/wiki/Foo_(bar)'
  expect(linkify(`(${wiki})`)).toEqual([
    { kind: 'text', text: '(' },
    { kind: 'link', text: wiki, href: wiki },
    { kind: 'text', text: ')' },
  ])
})

test('other schemes are never links', () => {
  expect(linkify('javascript:alert(1) data:text/html,x')).toEqual([
    { kind: 'text', text: 'javascript:alert(1) data:text/html,x' },
  ])
})
