/**
 * The reports, read from the pre-aggregated counters: a query reads the quarter-hour buckets of the
 * range's UTC span in one indexed range scan, and the pure folds of `@atende/shared` turn them into
 * the chosen zone's local hours, weekdays and shifts. Response times read per-UTC-day aggregates of
 * the conversations' durations (a cache the store rebuilds when a day is stale) for the days
 * surely in range, and the conversations of the edges row by row, to place by local date.
 */
import {
  bucketSpan,
  certainDays,
  DAY_MS,
  foldOverview,
  foldResponseTimes,
  foldVolume,
  timelineFor,
  utcSpan,
  type Overview,
  type ReportRange,
  type ResponseTimes,
  type ShiftStarts,
  type Volume,
} from '@atende/shared'
import type { ReportStore } from '../store/reports.js'

export interface Reports {
  overview(range: ReportRange): Overview & { shifts: ShiftStarts }
  volume(range: ReportRange): Volume
  responseTimes(range: ReportRange): ResponseTimes
}

export function createReports(store: ReportStore): Reports {
  return {
    overview(range) {
      const { first, last } = bucketSpan(range)
      const shifts = store.shiftStarts()
      return {
        ...foldOverview(store.buckets(first, last), range, shifts, timelineFor(range)),
        shifts,
      }
    },
    volume(range) {
      const { first, last } = bucketSpan(range)
      return foldVolume(store.buckets(first, last), range, timelineFor(range))
    },
    responseTimes(range) {
      const span = utcSpan(range)
      const timeline = timelineFor(range)
      const days = certainDays(range)
      if (days.first > days.last) {
        return foldResponseTimes(store.conversationTimes(span.start, span.end), range, timeline)
      }
      // Days surely in range whatever the zone: per-day aggregates. The edges, row by row.
      const edges = [
        ...store.conversationTimes(span.start, days.first * DAY_MS),
        ...store.conversationTimes((days.last + 1) * DAY_MS, span.end),
      ]
      return foldResponseTimes(edges, range, timeline, store.durationGroups(days.first, days.last))
    },
  }
}
