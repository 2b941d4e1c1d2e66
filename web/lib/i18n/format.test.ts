import { describe, expect, test } from 'vitest'
import { formatFileDetails, formatFileSize, formatListTime, formatSince } from './format'

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

describe('formatFileSize', () => {
  test('bytes are spelled out, in each language', () => {
    expect(formatFileSize(22, 'en')).toBe('22 bytes')
    expect(formatFileSize(22, 'pt-BR')).toBe('22 bytes')
    expect(formatFileSize(1, 'en')).toBe('1 byte')
  })

  test('larger sizes use the locale’s decimal separator and short units', () => {
    expect(formatFileSize(1.5 * 1024 * 1024, 'en')).toBe('1.5 MB')
    expect(formatFileSize(1.5 * 1024 * 1024, 'pt-BR')).toBe('1,5 MB')
    expect(formatFileSize(340 * 1024, 'en')).toBe('340 kB')
    expect(formatFileSize(2.25 * 1024 ** 3, 'pt-BR')).toBe('2,3 GB')
  })
})

describe('formatFileDetails', () => {
  test('puts a spaced separator between the type and the size', () => {
    expect(formatFileDetails('text/plain', 22, 'en')).toBe('text/plain · 22 bytes')
    expect(formatFileDetails('application/pdf', 1.5 * 1024 * 1024, 'pt-BR')).toBe(
      'application/pdf · 1,5 MB',
    )
  })

  test('without a size, the type alone', () => {
    expect(formatFileDetails('text/plain', undefined, 'en')).toBe('text/plain')
  })
})
