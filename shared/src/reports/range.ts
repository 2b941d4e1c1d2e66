import { DAY_MS, HOUR_MS, isTimeZone, zoneOffset, type DayNumber } from './zone.js'

/** Longest range a report covers: two years (about 70,000 quarter-hour buckets). */
export const MAX_RANGE_DAYS = 731

/** A report's date range: calendar dates `from`..`to`, both inclusive, in `timeZone`. */
export interface ReportRange {
  from: string
  to: string
  timeZone: string
  /** Day numbers (days since 1970-01-01) of `from` and `to`. */
  firstDay: DayNumber
  lastDay: DayNumber
}

export type RangeResult =
  { ok: true; range: ReportRange } | { ok: false; field: 'from' | 'to' | 'tz'; message: string }

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** The day number of a `YYYY-MM-DD` calendar date, or null when it is not a real date. */
export function parseLocalDate(value: unknown): DayNumber | null {
  if (typeof value !== 'string') return null
  const match = DATE.exec(value)
  if (!match) return null
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31) return null
  const ms = Date.UTC(year, month - 1, day)
  const check = new Date(ms)
  // 2023-02-30 rolls over to March in Date.UTC: refuse it.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null
  return ms / DAY_MS
}

/** `YYYY-MM-DD` of a day number. */
export function formatLocalDate(day: DayNumber): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

/** Today's date (`YYYY-MM-DD`) in a zone. */
export function todayIn(timeZone: string, now: number): string {
  return formatLocalDate(Math.floor((now + zoneOffset(timeZone, now)) / DAY_MS))
}

/**
 * Checks a report's `from`, `to` and `tz` parameters: real `YYYY-MM-DD` dates, `from` not after
 * `to`, at most {@link MAX_RANGE_DAYS} days, and a time zone the platform knows.
 */
export function parseReportRange(params: {
  from?: unknown
  to?: unknown
  tz?: unknown
}): RangeResult {
  const firstDay = parseLocalDate(params.from)
  if (firstDay === null)
    return { ok: false, field: 'from', message: 'from must be a date like 2024-03-31' }
  const lastDay = parseLocalDate(params.to)
  if (lastDay === null)
    return { ok: false, field: 'to', message: 'to must be a date like 2024-03-31' }
  if (lastDay < firstDay) return { ok: false, field: 'to', message: 'to must not be before from' }
  if (lastDay - firstDay + 1 > MAX_RANGE_DAYS) {
    return { ok: false, field: 'to', message: `a report covers at most ${MAX_RANGE_DAYS} days` }
  }
  if (!isTimeZone(params.tz)) {
    return {
      ok: false,
      field: 'tz',
      message: 'tz must be an IANA time zone like America/Sao_Paulo',
    }
  }
  return {
    ok: true,
    range: {
      from: params.from as string,
      to: params.to as string,
      // As given: ICU may know it by another name (Asia/Kathmandu or Asia/Katmandu).
      timeZone: params.tz,
      firstDay,
      lastDay,
    },
  }
}

/** No zone is further than this from UTC (the extremes today are -12:00 and +14:00). */
const MAX_OFFSET_MS = 16 * HOUR_MS

/**
 * A UTC interval [start, end) that surely holds every instant whose local date is in the range:
 * the range's dates read as UTC, widened by the largest possible offset on each side. Queries read
 * this span and the fold keeps what falls on the range's local dates, which stays exact even on
 * days a DST change makes 23 or 25 hours long, or starts at 01:00.
 */
export function utcSpan(range: Pick<ReportRange, 'firstDay' | 'lastDay'>): {
  start: number
  end: number
} {
  return {
    start: range.firstDay * DAY_MS - MAX_OFFSET_MS,
    end: (range.lastDay + 1) * DAY_MS + MAX_OFFSET_MS,
  }
}
