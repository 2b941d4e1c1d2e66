import { expect, test } from 'vitest'
import { toE164 } from './conversations'

test('numbers as people type them become E.164', () => {
  expect(toE164('+55 (11) 98765-4321')).toBe('+5511987654321')
  expect(toE164(' 0055 11 98765 4321 ')).toBe('+5511987654321')
  expect(toE164('+1.415.555.0123')).toBe('+14155550123')
})

test('anything else is refused', () => {
  for (const typed of [
    '',
    '12345',
    '11987654321',
    '+0 11 98765',
    '+55 11 9876x4321',
    '+1234567890123456',
  ])
    expect(toE164(typed)).toBeNull()
})
