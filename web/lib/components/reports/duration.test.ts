import { describe, expect, test } from 'vitest'
import { formatDuration } from './duration'

describe('formatDuration', () => {
  test('picks one readable unit', () => {
    expect(formatDuration(45_000, 'en')).toBe('45 sec')
    expect(formatDuration(12 * 60_000, 'en')).toBe('12 min')
    expect(formatDuration(3.5 * 3_600_000, 'en')).toBe('3.5 hr')
    expect(formatDuration(3 * 86_400_000, 'en')).toBe('3 days')
    expect(formatDuration(3.5 * 3_600_000, 'pt-BR')).toBe('3,5 h')
  })
})
