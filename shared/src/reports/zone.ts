/**
 * Time-zone maths for reports, on `Intl.DateTimeFormat` alone (no tz database of our own).
 *
 * Reports count in UTC quarter-hour buckets and fold them into local days, hours and weekdays of
 * any IANA zone. Looking the zone up per bucket would cost one `formatToParts` per bucket (tens of
 * thousands a year); instead an {@link OffsetTimeline} is built per query: the zone's UTC offset is
 * sampled once per day across the range and, where two samples differ, the change is found by
 * bisection to the quarter hour. A year costs about 400 Intl calls, and every bucket then finds its
 * offset by walking the timeline. A bucket is folded with the offset at its start. Today's offsets
 * are all multiples of 15 minutes and change on quarter hours, so the fold is exact to the instant;
 * the exceptions are historic (St John's changed at 00:01 local from 1987 to 2011, so the 14
 * minutes after such a change fold with the bucket's start; local mean time before ~1970 had
 * offsets in seconds). Two changes within one day that cancel out would be missed; no zone has any.
 */

export const MINUTE_MS = 60_000
export const HOUR_MS = 60 * MINUTE_MS
export const DAY_MS = 24 * HOUR_MS
/** Reports' bucket size: a quarter hour, so zones at +05:30, +05:45 or -03:30 fold exactly. */
export const BUCKET_MS = 15 * MINUTE_MS

/** Days since 1970-01-01 of a calendar date (a "day number"). */
export type DayNumber = number

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** True for a time zone name the platform knows (`UTC`, `America/Sao_Paulo`, …). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false
  try {
    formatterFor(value)
    return true
  } catch {
    return false
  }
}

/**
 * The zone's offset from UTC at instant `ms`, in milliseconds (local = UTC + offset):
 * `-10_800_000` for São Paulo today, `20_700_000` (+05:45) for Kathmandu.
 */
export function zoneOffset(timeZone: string, ms: number): number {
  const parts = formatterFor(timeZone).formatToParts(ms)
  let year = 0
  let month = 1
  let day = 1
  let hour = 0
  let minute = 0
  let second = 0
  let bc = false
  for (const part of parts) {
    switch (part.type) {
      case 'year':
        year = Number(part.value)
        break
      case 'month':
        month = Number(part.value)
        break
      case 'day':
        day = Number(part.value)
        break
      case 'hour':
        hour = Number(part.value)
        break
      case 'minute':
        minute = Number(part.value)
        break
      case 'second':
        second = Number(part.value)
        break
      case 'era':
        bc = part.value.startsWith('B')
        break
    }
  }
  const local = Date.UTC(bc ? 1 - year : year, month - 1, day, hour, minute, second)
  // Years 0–99 are taken by Date.UTC as 1900–1999; instants that old do not reach reports.
  return local - Math.floor(ms / 1000) * 1000
}

/** The wall-clock parts of instant `ms` in a zone. */
export interface LocalTime {
  /** Days since 1970-01-01 of the local date. */
  day: DayNumber
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number
  hour: number
  /** Minutes since local midnight. */
  minuteOfDay: number
}

/** The weekday (0 = Sunday) of a day number. 1970-01-01 was a Thursday (4). */
export function weekdayOf(day: DayNumber): number {
  return (((day + 4) % 7) + 7) % 7
}

/** Splits a local wall-clock time (UTC ms + offset) into day, weekday, hour and minute of day. */
export function localTimeOf(localMs: number): LocalTime {
  const day = Math.floor(localMs / DAY_MS)
  const sinceMidnight = localMs - day * DAY_MS
  return {
    day,
    weekday: weekdayOf(day),
    hour: Math.floor(sinceMidnight / HOUR_MS),
    minuteOfDay: Math.floor(sinceMidnight / MINUTE_MS),
  }
}

/** One stretch of time over which the zone's offset does not change: [start, end). */
export interface OffsetSegment {
  start: number
  end: number
  offset: number
}

/**
 * The zone's offsets over [from, to) as consecutive segments, to the quarter hour (each segment's
 * offset is the one at the start of each bucket it covers). `from` and `to` are rounded out to
 * bucket boundaries.
 */
export class OffsetTimeline {
  readonly segments: OffsetSegment[]
  private cursor = 0

  constructor(
    readonly timeZone: string,
    from: number,
    to: number,
  ) {
    const start = Math.floor(from / BUCKET_MS) * BUCKET_MS
    const end = Math.max(start + BUCKET_MS, Math.ceil(to / BUCKET_MS) * BUCKET_MS)
    const offsetAt = (ms: number) => zoneOffset(timeZone, ms)
    const segments: OffsetSegment[] = []
    let segmentStart = start
    let offset = offsetAt(start)
    let probe = start
    while (probe < end) {
      const next = Math.min(end, probe + DAY_MS)
      const nextOffset = next < end ? offsetAt(next) : offset
      if (nextOffset !== offset) {
        // The first bucket in (probe, next] whose offset differs from `offset`.
        let lo = probe / BUCKET_MS // offset here is `offset`
        let hi = next / BUCKET_MS // offset here differs
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2)
          if (offsetAt(mid * BUCKET_MS) === offset) lo = mid
          else hi = mid
        }
        const change = hi * BUCKET_MS
        segments.push({ start: segmentStart, end: change, offset })
        segmentStart = change
        offset = offsetAt(change)
        // Look again from the change: a second change before `next` is found the same way.
        probe = change
        continue
      }
      probe = next
    }
    segments.push({ start: segmentStart, end, offset })
    this.segments = segments
  }

  /**
   * The offset at `ms` (which must lie in the timeline's range). Fast for ascending lookups: it
   * walks on from the last segment found, and searches only when asked about an earlier instant.
   */
  offsetAt(ms: number): number {
    const segments = this.segments
    let i = this.cursor
    if (ms < segments[i]!.start) i = 0
    while (i < segments.length - 1 && ms >= segments[i]!.end) i++
    this.cursor = i
    return segments[i]!.offset
  }

  /** The local wall-clock parts of instant `ms`. */
  localTime(ms: number): LocalTime {
    return localTimeOf(ms + this.offsetAt(ms))
  }
}
