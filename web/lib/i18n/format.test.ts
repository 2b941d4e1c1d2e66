import { describe, expect, test } from 'vitest'
import { formatListTime, formatSince } from './format'

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

describe('formatSince', () => {
  const now = Date.UTC(2026, 10, 26, 15, 30)
  const minute = 60_000

  test('under a minute is left to the caller ("now")', () => {
    expect(formatSince(now - 59_000, now, 'en')).toBeNull()
    expect(formatSince(now + minute, now, 'en')).toBeNull() // a clock slightly behind
  })

  test('minutes, hours, days, weeks, in the short form of the locale', () => {
    expect(formatSince(now - 5 * minute, now, 'en')).toBe('5m')
    expect(formatSince(now - 3 * 60 * minute, now, 'en')).toBe('3h')
    expect(formatSince(now - 2 * 24 * 60 * minute, now, 'en')).toBe('2d')
    expect(formatSince(now - 15 * 24 * 60 * minute, now, 'en')).toBe('2w')
    expect(formatSince(now - 5 * minute, now, 'pt-BR')).toMatch(/^5\s?min\.?$/)
  })
})
