import { expect, test } from 'vitest'
import { initials } from './initials'

test('initials come from the first and last word', () => {
  expect(initials('Ana Maria Souza')).toBe('AS')
  expect(initials('  bruno   lima ')).toBe('BL')
  expect(initials('Admin')).toBe('AD')
  expect(initials('Élodie Ürgen')).toBe('ÉÜ')
  expect(initials('')).toBe('?')
})
