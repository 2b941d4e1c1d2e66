/**
 * Folding stored counts into a report in the reader's zone.
 *
 * The server keeps counters per UTC quarter hour ({@link BUCKET_MS}) and per conversation; these
 * pure functions turn them into local hours, weekdays and shifts of the chosen zone and date range.
 * Rows must come in ascending time order (the timeline is walked forward, never searched).
 */
import { utcSpan, type ReportRange } from './range.js'
import {
  DEFAULT_SHIFT_STARTS,
  SHIFTS,
  shiftsByQuarter,
  type Shift,
  type ShiftStarts,
} from './shifts.js'
import { BUCKET_MS, DAY_MS, HOUR_MS, OffsetTimeline, weekdayOf } from './zone.js'

/** A quarter hour's counters: `[bucket, conversationsStarted, messagesReceived, messagesSent]`. */
export type BucketCounts = readonly [
  bucket: number,
  conversations: number,
  received: number,
  sent: number,
]

/** The bucket (quarter hours since the epoch, UTC) an instant falls in. */
export function bucketOf(ms: number): number {
  return Math.floor(ms / BUCKET_MS)
}

/** Buckets to read for a range: [first, last], inclusive (a superset; the fold filters). */
export function bucketSpan(range: Pick<ReportRange, 'firstDay' | 'lastDay'>): {
  first: number
  last: number
} {
  const { start, end } = utcSpan(range)
  return { first: bucketOf(start), last: bucketOf(end - 1) }
}

export interface Overview {
  /** Conversations started in each local hour 0–23. */
  peakHours: number[]
  /** Customer messages received per shift. */
  messagesByShift: Record<Shift, number>
  totals: { conversations: number; messagesReceived: number; messagesSent: number }
}

export interface Volume {
  /** Conversations started by local weekday (0 = Sunday) and hour: `matrix[weekday][hour]`. */
  matrix: number[][]
}

/** A timeline covering the range's UTC span. */
export function timelineFor(
  range: Pick<ReportRange, 'timeZone' | 'firstDay' | 'lastDay'>,
): OffsetTimeline {
  const { start, end } = utcSpan(range)
  return new OffsetTimeline(range.timeZone, start, end)
}

/** The overview report from bucket counters in ascending bucket order. */
export function foldOverview(
  rows: Iterable<BucketCounts>,
  range: ReportRange,
  shiftStarts: ShiftStarts = DEFAULT_SHIFT_STARTS,
  timeline: OffsetTimeline = timelineFor(range),
): Overview {
  const peakHours = new Array<number>(24).fill(0)
  const byQuarter = shiftsByQuarter(shiftStarts)
  const messagesByShift = Object.fromEntries(SHIFTS.map((shift) => [shift, 0])) as Record<
    Shift,
    number
  >
  const totals = { conversations: 0, messagesReceived: 0, messagesSent: 0 }
  const { firstDay, lastDay } = range
  // Hot loop (tens of thousands of rows): plain arithmetic, no allocation per row.
  for (const [bucket, conversations, received, sent] of rows) {
    const start = bucket * BUCKET_MS
    const local = start + timeline.offsetAt(start)
    const day = Math.floor(local / DAY_MS)
    if (day < firstDay || day > lastDay) continue
    const quarter = Math.floor((local - day * DAY_MS) / BUCKET_MS)
    peakHours[quarter >> 2]! += conversations
    messagesByShift[byQuarter[quarter]!] += received
    totals.conversations += conversations
    totals.messagesReceived += received
    totals.messagesSent += sent
  }
  return { peakHours, messagesByShift, totals }
}

/** The weekday × hour volume report from bucket counters in ascending bucket order. */
export function foldVolume(
  rows: Iterable<BucketCounts>,
  range: ReportRange,
  timeline: OffsetTimeline = timelineFor(range),
): Volume {
  const matrix = Array.from({ length: 7 }, () => new Array<number>(24).fill(0))
  const { firstDay, lastDay } = range
  for (const [bucket, conversations] of rows) {
    if (conversations === 0) continue
    const start = bucket * BUCKET_MS
    const local = start + timeline.offsetAt(start)
    const day = Math.floor(local / DAY_MS)
    if (day < firstDay || day > lastDay) continue
    const hour = Math.floor((local - day * DAY_MS) / HOUR_MS)
    matrix[weekdayOf(day)]![hour]! += conversations
  }
  return { matrix }
}
