import type { Locale } from './locales'

const DAY_MS = 24 * 60 * 60 * 1000

function startOfDay(ms: number): number {
  const date = new Date(ms)
  date.setHours(0, 0, 0, 0)
  return date.getTime()
}

/**
 * The time shown on a conversation card, like WhatsApp's own list: the clock time for today,
 * the weekday within the last week, the date before that. `now` is passed in to keep this pure.
 */
export function formatListTime(at: number, now: number, locale: Locale): string {
  const today = startOfDay(now)
  if (at >= today) {
    return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(at)
  }
  if (at >= today - 6 * DAY_MS) {
    return new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(at)
  }
  return new Intl.DateTimeFormat(locale, {
    day: '2-digit',
    month: '2-digit',
    year: '2-digit',
  }).format(at)
}

/** Full date and time, for `title` tooltips and screen readers. */
export function formatFullTime(at: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at)
}

const SINCE_UNITS: [unit: 'minute' | 'hour' | 'day' | 'week', ms: number][] = [
  ['week', 7 * DAY_MS],
  ['day', DAY_MS],
  ['hour', 60 * 60 * 1000],
  ['minute', 60 * 1000],
]

const sinceFormats = new Map<string, Intl.NumberFormat>()

function sinceFormat(locale: Locale, unit: string): Intl.NumberFormat {
  const key = `${locale}|${unit}`
  let format = sinceFormats.get(key)
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'narrow' })
    sinceFormats.set(key, format)
  }
  return format
}

/**
 * Time since `at`, short ("5m", "3h", "2d", "1w" in English), or null under a minute (the caller
 * says "now"). `now` comes from the shared clock, which keeps every card current.
 */
export function formatSince(at: number, now: number, locale: Locale): string | null {
  const elapsed = Math.max(0, now - at)
  for (const [unit, ms] of SINCE_UNITS) {
    if (elapsed >= ms) {
      return sinceFormat(locale, unit).format(Math.floor(elapsed / ms))
    }
  }
  return null
}

const FILE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const

/**
 * A file size for people, in the locale's numbers and units: "22 bytes", "1.5 MB" in English,
 * "22 bytes", "1,5 MB" in Portuguese. Steps of 1024, like the 20 MB attachment limit; bytes are
 * spelled out (a short "byte" reads as a typo), larger units abbreviated.
 */
export function formatFileSize(bytes: number, locale: Locale): string {
  let value = Math.max(0, bytes)
  let unit = 0
  while (value >= 1024 && unit < FILE_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: FILE_UNITS[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value)
}

/** A file's type and size on one line, "text/plain · 22 bytes"; the type alone without a size. */
export function formatFileDetails(
  mimeType: string,
  bytes: number | undefined,
  locale: Locale,
): string {
  return bytes === undefined ? mimeType : `${mimeType} · ${formatFileSize(bytes, locale)}`
}
