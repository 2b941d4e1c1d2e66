import { describe, expect, test } from 'vitest'
import { loginPath, safeNextPath } from './routing'

describe('safeNextPath', () => {
  test('keeps paths on this site', () => {
    expect(safeNextPath('/inbox/abc?tab=notes')).toBe('/inbox/abc?tab=notes')
    expect(safeNextPath('/reports')).toBe('/reports')
  })

  test('refuses anything that could leave the site', () => {
    for (const next of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      'inbox',
      '',
      null,
    ]) {
      expect(safeNextPath(next)).toBeNull()
    }
  })
})

test('loginPath remembers the page unless it is the inbox', () => {
  expect(loginPath('/login', new URL('http://x/inbox'))).toBe('/login')
  expect(loginPath('/login', new URL('http://x/inbox/42?a=1'))).toBe(
    '/login?next=%2Finbox%2F42%3Fa%3D1',
  )
  expect(loginPath('/login', null)).toBe('/login')
})
