/**
 * The reports' period and zone live in the URL (`?from=YYYY-MM-DD&to=YYYY-MM-DD&tz=Area/City`), so
 * a report can be bookmarked and shared. Missing or bad values fall back to the last 30 days in the
 * browser's own time zone.
 */
import {
  formatLocalDate,
  isTimeZone,
  parseLocalDate,
  parseReportRange,
  todayIn,
} from '@atende/shared'
import { readJson, request, type Fetch } from '$lib/api/http'

export interface ReportFilters {
  from: string
  to: string
  tz: string
}

export type ReportName = 'overview' | 'volume' | 'response-times'

export type ReportResult<T> = { ok: true; report: T } | { ok: false; reason: 'invalid' | 'failed' }

export const DEFAULT_DAYS = 30

/** The browser's IANA time zone (UTC when it cannot tell). */
export function browserTimeZone(): string {
  const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone
  return isTimeZone(zone) ? zone : 'UTC'
}

export function filtersFrom(url: URL, now = Date.now()): ReportFilters {
  const zone = url.searchParams.get('tz')
  const tz = isTimeZone(zone) ? zone : browserTimeZone()
  const toParam = url.searchParams.get('to')
  const to = parseLocalDate(toParam) !== null ? toParam! : todayIn(tz, now)
  const fromParam = url.searchParams.get('from')
  const from =
    parseLocalDate(fromParam) !== null
      ? fromParam!
      : formatLocalDate(parseLocalDate(to)! - (DEFAULT_DAYS - 1))
  return { from, to, tz }
}

/** `from=…&to=…&tz=…` for links and API calls. */
export function queryOf(filters: ReportFilters): string {
  return new URLSearchParams({ from: filters.from, to: filters.to, tz: filters.tz }).toString()
}

/** True when the server would accept these filters (dates in order, within two years). */
export function filtersValid(filters: ReportFilters): boolean {
  return parseReportRange(filters).ok
}

/** The CSV download of a report (same-origin: the session cookie authenticates it). */
export function csvHref(report: ReportName, filters: ReportFilters): string {
  return `/api/reports/${report}?${queryOf(filters)}&format=csv`
}

export async function fetchReport<T>(
  fetchFn: Fetch,
  report: ReportName,
  filters: ReportFilters,
): Promise<ReportResult<T>> {
  if (!filtersValid(filters)) return { ok: false, reason: 'invalid' }
  try {
    const response = await request(fetchFn, `/api/reports/${report}?${queryOf(filters)}`)
    if (response.status === 400) return { ok: false, reason: 'invalid' }
    const body = response.ok ? await readJson<T>(response) : null
    return body ? { ok: true, report: body } : { ok: false, reason: 'failed' }
  } catch {
    return { ok: false, reason: 'failed' }
  }
}
