/**
 * Property tests of the report maths against a slow reference: one Intl call per instant, reading
 * the local date, hour and weekday straight from the formatter. Zones cover DST north and south
 * (São Paulo had it until 2019), half and three-quarter hour offsets, a half-hour DST shift (Lord
 * Howe) and a zone that jumped across the date line (Apia, 2011-12-30 never happened there).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bucketOf, foldOverview, foldVolume, timelineFor, type BucketCounts } from './fold.js'
import {
  certainDays,
  foldResponseTimes,
  type ConversationTimes,
  type DurationGroups,
} from './response-times.js'
import { summarizeDurations } from './percentiles.js'
import { formatLocalDate, parseReportRange, utcSpan, type ReportRange } from './range.js'
import { DEFAULT_SHIFT_STARTS, shiftAt, SHIFTS } from './shifts.js'
import { BUCKET_MS, DAY_MS, OffsetTimeline, zoneOffset } from './zone.js'

const ZONES = [
  'UTC',
  'America/Sao_Paulo',
  'America/New_York',
  'Europe/London',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Apia',
] as const
const EARLIEST = Date.UTC(1980, 0, 1)
const LATEST = Date.UTC(2035, 11, 31)
/**
 * Since 2012 every zone here changes offset on a quarter hour, so counting by 15-minute buckets is
 * exact to the instant. (Before, St John's changed at 00:01 local: the 14 minutes after each change
 * fold with the bucket's start.)
 */
const QUARTER_HOUR_CHANGES_SINCE = Date.UTC(2012, 0, 1)
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const formatters = new Map<string, Intl.DateTimeFormat>()

function reference(timeZone: string, ms: number) {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, formatter)
  }
  const parts = Object.fromEntries(formatter.formatToParts(ms).map((p) => [p.type, p.value]))
  return {
    day: Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) / DAY_MS,
    weekday: WEEKDAYS.indexOf(parts.weekday!),
    hour: Number(parts.hour),
    minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute),
  }
}

const zone = fc.constantFrom(...ZONES)
const instant = fc.integer({ min: EARLIEST, max: LATEST })
const recentInstant = fc.integer({ min: QUARTER_HOUR_CHANGES_SINCE, max: LATEST })

function rangeOf(timeZone: string, firstDay: number, days: number): ReportRange {
  const result = parseReportRange({
    from: formatLocalDate(firstDay),
    to: formatLocalDate(firstDay + days - 1),
    tz: timeZone,
  })
  if (!result.ok) throw new Error(result.message)
  return result.range
}

describe('OffsetTimeline', () => {
  it('gives every instant the local time Intl gives it', () => {
    fc.assert(
      fc.property(
        zone,
        instant,
        fc.integer({ min: 1, max: 400 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (tz, from, days, picks) => {
          const to = from + days * DAY_MS
          const timeline = new OffsetTimeline(tz, from, to)
          for (const pick of picks.sort()) {
            const ms = from + Math.floor(pick * (to - from - 1))
            const bucketStart = bucketOf(ms) * BUCKET_MS
            expect(timeline.localTime(bucketStart)).toEqual(reference(tz, bucketStart))
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('is a chain of segments with a change of offset between neighbours', () => {
    fc.assert(
      fc.property(zone, instant, fc.integer({ min: 1, max: 800 }), (tz, from, days) => {
        const timeline = new OffsetTimeline(tz, from, from + days * DAY_MS)
        const { segments } = timeline
        expect(segments[0]!.start).toBeLessThanOrEqual(from)
        expect(segments.at(-1)!.end).toBeGreaterThanOrEqual(from + days * DAY_MS)
        for (let i = 1; i < segments.length; i++) {
          expect(segments[i]!.start).toBe(segments[i - 1]!.end)
          expect(segments[i]!.offset).not.toBe(segments[i - 1]!.offset)
          // A segment's offset is the one at the start of each of its buckets.
          expect(segments[i]!.start % BUCKET_MS).toBe(0)
          expect(zoneOffset(tz, segments[i]!.start)).toBe(segments[i]!.offset)
          expect(zoneOffset(tz, segments[i]!.start - BUCKET_MS)).toBe(segments[i - 1]!.offset)
        }
      }),
      { numRuns: 200 },
    )
  })
})

describe('date ranges', () => {
  it('the UTC span holds every instant whose local date is in the range', () => {
    fc.assert(
      fc.property(
        zone,
        instant,
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        (tz, ms, before, days) => {
          const local = reference(tz, ms)
          const range = rangeOf(tz, local.day - before, before + days)
          const { start, end } = utcSpan(range)
          expect(ms).toBeGreaterThanOrEqual(start)
          expect(ms).toBeLessThan(end)
        },
      ),
    )
  })
})

/** Facts as instants: the naive report computes each one's local time with Intl. */
function bucketsOf(
  instants: number[],
  kind: 'conversations' | 'received' | 'sent',
): BucketCounts[] {
  const counts = new Map<number, number>()
  for (const ms of instants) counts.set(bucketOf(ms), (counts.get(bucketOf(ms)) ?? 0) + 1)
  return [...counts]
    .sort((a, b) => a[0] - b[0])
    .map(
      ([bucket, n]) =>
        [
          bucket,
          kind === 'conversations' ? n : 0,
          kind === 'received' ? n : 0,
          kind === 'sent' ? n : 0,
        ] as const,
    )
}

describe('folding buckets into local hours, weekdays and shifts', () => {
  const facts = fc.record({
    tz: zone,
    from: recentInstant,
    days: fc.integer({ min: 1, max: 60 }),
    offsets: fc.array(fc.double({ min: -0.1, max: 1.1, noNaN: true }), { maxLength: 200 }),
  })

  it('counts each fact in the local hour, weekday and shift Intl gives its instant', () => {
    fc.assert(
      fc.property(facts, ({ tz, from, days, offsets }) => {
        const firstDay = reference(tz, from).day
        const range = rangeOf(tz, firstDay, days)
        const span = (days + 2) * DAY_MS
        const instants = offsets.map((o) => from - DAY_MS + Math.floor(o * span))
        const inRange = instants.filter((ms) => {
          const day = reference(tz, ms).day
          return day >= range.firstDay && day <= range.lastDay
        })
        const peakHours = new Array<number>(24).fill(0)
        const matrix = Array.from({ length: 7 }, () => new Array<number>(24).fill(0))
        const byShift = Object.fromEntries(SHIFTS.map((s) => [s, 0]))
        for (const ms of inRange) {
          const local = reference(tz, ms)
          peakHours[local.hour]!++
          matrix[local.weekday]![local.hour]!++
          byShift[shiftAt(DEFAULT_SHIFT_STARTS, local.minuteOfDay)]!++
        }
        const overview = foldOverview(bucketsOf(instants, 'conversations'), range)
        expect(overview.peakHours).toEqual(peakHours)
        expect(overview.totals.conversations).toBe(inRange.length)
        expect(foldVolume(bucketsOf(instants, 'conversations'), range).matrix).toEqual(matrix)
        const received = foldOverview(bucketsOf(instants, 'received'), range)
        expect(received.messagesByShift).toEqual(byShift)
        expect(received.totals.messagesReceived).toBe(inRange.length)
        expect(foldOverview(bucketsOf(instants, 'sent'), range).totals.messagesSent).toBe(
          inRange.length,
        )
      }),
      { numRuns: 150 },
    )
  })

  it('takes the conversations started on the range’s local dates for response times', () => {
    const conversation = fc.tuple(
      fc.double({ min: -0.2, max: 1.2, noNaN: true }),
      fc.option(fc.nat(86_400_000)),
      fc.option(fc.nat(864_000_000)),
      fc.constantFrom('a', 'b', null),
      fc.constantFrom('a', 'c', null),
    )
    fc.assert(
      fc.property(
        zone,
        recentInstant,
        fc.integer({ min: 1, max: 9 }),
        fc.array(conversation, { maxLength: 100 }),
        (tz, from, days, conversations) => {
          const range = rangeOf(tz, reference(tz, from).day, days)
          const rows: ConversationTimes[] = conversations
            .map(([o, response, resolution, responder, assignee]) => {
              const startedAt = range.firstDay * DAY_MS + Math.floor(o * days * DAY_MS)
              return [
                startedAt,
                response === null ? null : startedAt + response,
                response === null ? null : responder,
                resolution === null ? null : startedAt + resolution,
                assignee ?? (response === null ? null : responder),
              ] as const
            })
            .sort((a, b) => a[0] - b[0])
          // The naive answer: every row placed by Intl.
          const kept = rows.filter(([startedAt]) => {
            const day = reference(tz, startedAt).day
            return day >= range.firstDay && day <= range.lastDay
          })
          // What the server does: rows surely in range grouped by agent, the edges row by row.
          const inside = certainDays(range)
          const isInside = (startedAt: number) =>
            startedAt >= inside.first * DAY_MS && startedAt < (inside.last + 1) * DAY_MS
          const group = (pick: (row: ConversationTimes) => [string | null, number] | null) => {
            const groups = new Map<string | null, number[]>()
            for (const row of rows.filter((r) => isInside(r[0]))) {
              const entry = pick(row)
              if (entry) groups.set(entry[0], [...(groups.get(entry[0]) ?? []), entry[1]])
            }
            return [...groups]
          }
          const groups: DurationGroups = {
            firstResponse: group((r) => (r[1] === null ? null : [r[2], r[1] - r[0]])),
            resolution: group((r) => (r[3] === null ? null : [r[4], r[3] - r[0]])),
          }
          const times = foldResponseTimes(
            rows.filter((r) => !isInside(r[0])),
            range,
            timelineFor(range),
            groups,
          )

          const durations = (list: readonly ConversationTimes[], at: 1 | 3) =>
            list.filter((r) => r[at] !== null).map((r) => r[at]! - r[0])
          expect(times.firstResponse).toEqual(summarizeDurations(durations(kept, 1)))
          expect(times.resolution).toEqual(summarizeDurations(durations(kept, 3)))
          for (const agent of ['a', 'b', 'c']) {
            const entry = times.agents.find((a) => a.agentId === agent)
            const responses = durations(
              kept.filter((r) => r[2] === agent),
              1,
            )
            const resolutions = durations(
              kept.filter((r) => r[4] === agent),
              3,
            )
            if (responses.length + resolutions.length === 0) expect(entry).toBeUndefined()
            else
              expect(entry).toEqual({
                agentId: agent,
                firstResponse: summarizeDurations(responses),
                resolution: summarizeDurations(resolutions),
              })
          }
        },
      ),
      { numRuns: 150 },
    )
  })
})
