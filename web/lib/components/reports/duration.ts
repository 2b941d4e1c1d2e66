/**
 * A duration as people read it, in the locale: "45 s", "12 min", "3.5 h", "2.1 d" (one unit, the
 * largest that keeps the number readable).
 */
export function formatDuration(ms: number, locale: string): string {
  const units: [unit: 'second' | 'minute' | 'hour' | 'day', size: number, below: number][] = [
    ['second', 1000, 90 * 1000],
    ['minute', 60_000, 90 * 60_000],
    ['hour', 3_600_000, 48 * 3_600_000],
    ['day', 86_400_000, Infinity],
  ]
  const [unit, size] = units.find(([, , below]) => ms < below)!
  const value = ms / size
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 && unit !== 'second' ? 1 : 0,
  }).format(value)
}
