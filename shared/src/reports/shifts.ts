/**
 * Shifts: the day split in three by their local start times. Each shift runs from its start to the
 * next one's, wrapping past midnight (by default night is 18:00–05:59). Starts are quarter hours so
 * that report buckets (15 minutes) never straddle two shifts.
 */
export const SHIFTS = ['morning', 'afternoon', 'night'] as const
export type Shift = (typeof SHIFTS)[number]

/** Minutes since local midnight at which each shift starts. */
export type ShiftStarts = Record<Shift, number>

export const DEFAULT_SHIFT_STARTS: Readonly<ShiftStarts> = Object.freeze({
  morning: 6 * 60,
  afternoon: 12 * 60,
  night: 18 * 60,
})

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/

/** Minutes since midnight of a `HH:MM` (24-hour) time, or null. */
export function parseClock(value: unknown): number | null {
  if (typeof value !== 'string') return null
  const match = CLOCK.exec(value)
  return match ? Number(match[1]) * 60 + Number(match[2]) : null
}

/** `HH:MM` of minutes since midnight. */
export function formatClock(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
}

/**
 * Why these starts are not a valid split of the day, or null: each must be a quarter hour in
 * [00:00, 23:45], all different, and in the order morning → afternoon → night around the clock.
 */
export function shiftStartsProblem(starts: ShiftStarts): string | null {
  for (const shift of SHIFTS) {
    const start = starts[shift]
    if (!Number.isInteger(start) || start < 0 || start >= 24 * 60)
      return `${shift} must be a time of day`
    if (start % 15 !== 0) return `${shift} must start on a quarter hour (:00, :15, :30 or :45)`
  }
  const { morning, afternoon, night } = starts
  if (morning === afternoon || afternoon === night || night === morning)
    return 'shifts must start at different times'
  const after = (minutes: number) => (minutes - morning + 24 * 60) % (24 * 60)
  if (after(afternoon) > after(night))
    return 'shifts must follow each other: morning, afternoon, then night'
  return null
}

/** The shift a local minute of the day falls in. */
export function shiftAt(starts: ShiftStarts, minuteOfDay: number): Shift {
  const after = (minutes: number) => (minutes - starts.morning + 24 * 60) % (24 * 60)
  const at = after(minuteOfDay)
  if (at < after(starts.afternoon)) return 'morning'
  if (at < after(starts.night)) return 'afternoon'
  return 'night'
}

/** The shift of each of the day's 96 quarter hours (index = minute of day / 15). */
export function shiftsByQuarter(starts: ShiftStarts): Shift[] {
  return Array.from({ length: 96 }, (_, quarter) => shiftAt(starts, quarter * 15))
}
