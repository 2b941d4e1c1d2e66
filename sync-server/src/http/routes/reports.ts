/**
 * `/api/reports`: overview, volume and response times over a date range in a time zone
 * (`?from=YYYY-MM-DD&to=YYYY-MM-DD&tz=Area/City`, inclusive dates in that zone), as JSON or, with
 * `format=csv`, as a CSV attachment; and the shift boundaries they use (admins change them).
 * Every signed-in agent may read reports; an admin's change of the shifts goes to the audit log.
 */
import { Hono, type Context } from 'hono'
import * as v from 'valibot'
import {
  formatClock,
  parseClock,
  parseReportRange,
  SHIFTS,
  shiftStartsProblem,
  type DurationSummary,
  type ReportRange,
  type ShiftStarts,
} from '@atende/shared'
import { createReports } from '../../reports/reports.js'
import { toCsv, type CsvValue } from '../../reports/csv.js'
import { conversationsBySource } from '../../reports/sources.js'
import type { Accounts } from '../../store/accounts.js'
import type { AuditLog } from '../../store/audit.js'
import { createSourceStore } from '../../store/conversation-sources.js'
import type { Db } from '../../store/db.js'
import { createReportStore } from '../../store/reports.js'
import { ApiError } from '../errors.js'
import { requireAdmin, type AuthEnv } from '../middleware/auth.js'
import { readJson } from '../validate.js'

export interface ReportRoutesOptions {
  db: Db
  accounts: Pick<Accounts, 'get'>
  audit?: AuditLog
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const HOURS = Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0'))

const Clock = v.pipe(
  v.string('must be a time like 06:00'),
  v.check((value) => parseClock(value) !== null, 'must be a time like 06:00'),
)
const ShiftsBody = v.object({
  shifts: v.object({ morning: Clock, afternoon: Clock, night: Clock }),
})

/** The range from the query string, or 400 naming the parameter. */
function rangeOf(c: Context): ReportRange {
  const result = parseReportRange({
    from: c.req.query('from'),
    to: c.req.query('to'),
    tz: c.req.query('tz'),
  })
  if (!result.ok) throw new ApiError(400, 'invalid_query', result.message)
  return result.range
}

function formatOf(c: Context): 'json' | 'csv' {
  const format = c.req.query('format') ?? 'json'
  if (format !== 'json' && format !== 'csv') {
    throw new ApiError(400, 'invalid_query', "format must be 'json' or 'csv'")
  }
  return format
}

function csvResponse(c: Context, report: string, range: ReportRange, csv: string): Response {
  const filename = `atende-${report}-${range.from}-to-${range.to}.csv`
  c.header('Content-Type', 'text/csv; charset=utf-8')
  c.header('Content-Disposition', `attachment; filename="${filename}"`)
  return c.body(csv)
}

function clocks(starts: ShiftStarts): Record<keyof ShiftStarts, string> {
  return {
    morning: formatClock(starts.morning),
    afternoon: formatClock(starts.afternoon),
    night: formatClock(starts.night),
  }
}

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000))
const summaryCells = (summary: DurationSummary): CsvValue[] => [
  summary.count,
  seconds(summary.median),
  seconds(summary.p90),
]

/** Mount at `/reports` behind `requireSession`. */
export function reportRoutes(options: ReportRoutesOptions): Hono<AuthEnv> {
  const store = createReportStore(options.db)
  const reports = createReports(store)
  const sources = createSourceStore(options.db)
  const agentName = (id: string) => options.accounts.get(id)?.name ?? null

  return new Hono<AuthEnv>()
    .get('/overview', (c) => {
      const range = rangeOf(c)
      const format = formatOf(c)
      const { peakHours, messagesByShift, totals, shifts } = reports.overview(range)
      const bySource = conversationsBySource(sources, range)
      if (format === 'csv') {
        const rows: CsvValue[][] = [
          ...peakHours.map((n, hour) => ['conversations_started_by_hour', HOURS[hour]!, n]),
          ...SHIFTS.map((shift) => ['messages_received_by_shift', shift, messagesByShift[shift]]),
          ['totals', 'conversations', totals.conversations],
          ['totals', 'messages_received', totals.messagesReceived],
          ['totals', 'messages_sent', totals.messagesSent],
          ...bySource.map((entry) => [
            'conversations_by_source',
            entry.source,
            entry.conversations,
          ]),
        ]
        return csvResponse(c, 'overview', range, toCsv(['metric', 'key', 'value'], rows))
      }
      return c.json({
        from: range.from,
        to: range.to,
        tz: range.timeZone,
        peakHours,
        messagesByShift,
        totals,
        conversationsBySource: bySource,
        shifts: clocks(shifts),
      })
    })

    .get('/volume', (c) => {
      const range = rangeOf(c)
      const format = formatOf(c)
      const { matrix } = reports.volume(range)
      if (format === 'csv') {
        const rows = matrix.map((hours, weekday) => [weekday, WEEKDAYS[weekday]!, ...hours])
        return csvResponse(c, 'volume', range, toCsv(['weekday', 'weekday_name', ...HOURS], rows))
      }
      return c.json({ from: range.from, to: range.to, tz: range.timeZone, matrix })
    })

    .get('/response-times', (c) => {
      const range = rangeOf(c)
      const format = formatOf(c)
      const times = reports.responseTimes(range)
      const agents = times.agents.map((entry) => ({ ...entry, name: agentName(entry.agentId) }))
      if (format === 'csv') {
        const header = [
          'agent_id',
          'agent_name',
          'first_responses',
          'first_response_median_seconds',
          'first_response_p90_seconds',
          'resolutions',
          'resolution_median_seconds',
          'resolution_p90_seconds',
        ]
        const rows: CsvValue[][] = [
          ['', 'Team', ...summaryCells(times.firstResponse), ...summaryCells(times.resolution)],
          ...agents.map((entry) => [
            entry.agentId,
            entry.name,
            ...summaryCells(entry.firstResponse),
            ...summaryCells(entry.resolution),
          ]),
        ]
        return csvResponse(c, 'response-times', range, toCsv(header, rows))
      }
      return c.json({
        from: range.from,
        to: range.to,
        tz: range.timeZone,
        firstResponse: times.firstResponse,
        resolution: times.resolution,
        agents,
      })
    })

    .get('/shifts', (c) => c.json({ shifts: clocks(store.shiftStarts()) }))

    .put('/shifts', requireAdmin(), async (c) => {
      const body = await readJson(c, ShiftsBody)
      const starts: ShiftStarts = {
        morning: parseClock(body.shifts.morning)!,
        afternoon: parseClock(body.shifts.afternoon)!,
        night: parseClock(body.shifts.night)!,
      }
      const problem = shiftStartsProblem(starts)
      if (problem) throw new ApiError(400, 'invalid_body', `shifts: ${problem}`)
      store.setShiftStarts(starts, c.get('actor').id)
      const shifts = clocks(store.shiftStarts())
      options.audit?.record(c.get('actor'), 'settings.shifts', 'shifts', { shifts })
      return c.json({ shifts })
    })
}
