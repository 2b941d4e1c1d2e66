import { describe, expect, test } from 'vitest'
import { formatListTime } from './format'

describe('formatListTime', () => {
  const now = new Date(2026, 10, 26, 15, 30).getTime()

  test('today shows the clock time', () => {
    const at = new Date(2026, 10, 26, 9, 5).getTime()
    expect(formatListTime(at, now, 'en')).toMatch(/09:05/)
    expect(formatListTime(at, now, 'pt-BR')).toBe('09:05')
  })

  test('this week shows the weekday, older the date', () => {
    const monday = new Date(2026, 10, 23, 10, 0).getTime()
    expect(formatListTime(monday, now, 'en')).toBe('Mon')
    expect(formatListTime(monday, now, 'pt-BR')).toMatch(/^seg/)
    const old = new Date(2026, 9, 1, 10, 0).getTime()
    expect(formatListTime(old, now, 'pt-BR')).toBe('01/10/26')
    expect(formatListTime(old, now, 'en')).toBe('10/01/26')
  })
})
