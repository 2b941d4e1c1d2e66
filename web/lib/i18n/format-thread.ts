import type { Locale } from './locales'

const DAY_MS = 24 * 60 * 60 * 1000

function startOfDay(ms: number): number {
  const date = new Date(ms)
  date.setHours(0, 0, 0, 0)
  return date.getTime()
}

/**
 * The label of a day separator in a thread: "today" and "yesterday" by name (passed in, already
 * translated), the weekday within the week, the full date before that.
 */
export function formatDayLabel(
  at: number,
  now: number,
  locale: Locale,
  names: { today: string; yesterday: string },
): string {
  const today = startOfDay(now)
  const day = startOfDay(at)
  if (day === today) return names.today
  if (day === startOfDay(today - DAY_MS / 2)) return names.yesterday
  if (day > today - 6 * DAY_MS && day < today) {
    return new Intl.DateTimeFormat(locale, { weekday: 'long' }).format(at)
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(at)
}

/** The clock time under a message. */
export function formatMessageTime(at: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(at)
}

// Sizes are formatted with the other numbers; the composer and bubbles import it from here too.
export { formatFileSize } from './format'
