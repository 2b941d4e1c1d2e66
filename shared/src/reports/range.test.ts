import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  formatLocalDate,
  MAX_RANGE_DAYS,
  parseLocalDate,
  parseReportRange,
  todayIn,
} from './range.js'

describe('report ranges', () => {
  it('reads real calendar dates only', () => {
    expect(parseLocalDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29) / 86_400_000)
    for (const bad of [
      '2023-02-29',
      '2024-13-01',
      '2024-1-1',
      '2024-01-32',
      '24-01-01',
      '',
      'x',
      null,
      20240101,
    ]) {
      expect(parseLocalDate(bad)).toBeNull()
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), (day) => {
        expect(parseLocalDate(formatLocalDate(day))).toBe(day)
      }),
    )
  })

  it('names the offending parameter', () => {
    const ok = { from: '2024-03-01', to: '2024-03-31', tz: 'America/Sao_Paulo' }
    expect(parseReportRange(ok)).toMatchObject({
      ok: true,
      range: { from: '2024-03-01', to: '2024-03-31', timeZone: 'America/Sao_Paulo' },
    })
    expect(parseReportRange({ ...ok, from: undefined })).toMatchObject({ ok: false, field: 'from' })
    expect(parseReportRange({ ...ok, to: '2024-02-30' })).toMatchObject({ ok: false, field: 'to' })
    expect(parseReportRange({ ...ok, to: '2024-02-01' })).toMatchObject({ ok: false, field: 'to' })
    expect(parseReportRange({ ...ok, tz: 'Nowhere/Special' })).toMatchObject({
      ok: false,
      field: 'tz',
    })
    expect(parseReportRange({ ...ok, from: '2020-01-01' })).toMatchObject({
      ok: false,
      field: 'to',
    })
    const longest = parseReportRange({
      ...ok,
      from: formatLocalDate(parseLocalDate(ok.to)! - MAX_RANGE_DAYS + 1),
    })
    expect(longest.ok).toBe(true)
  })

  it('knows today in a zone', () => {
    const now = Date.parse('2024-03-10T02:30:00Z')
    expect(todayIn('America/Sao_Paulo', now)).toBe('2024-03-09')
    expect(todayIn('Asia/Kathmandu', now)).toBe('2024-03-10')
  })
})
