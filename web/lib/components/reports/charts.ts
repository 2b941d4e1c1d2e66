/**
 * Chart.js, registered once with only what the reports draw (bars and the matrix heatmap), so the
 * rest of the library is left out of the bundle. Colours come from the app's CSS variables, so the
 * charts follow the light and dark themes.
 */
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js'
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix'

let registered = false

export function registerCharts(): void {
  if (registered) return
  Chart.register(
    BarController,
    BarElement,
    CategoryScale,
    LinearScale,
    Tooltip,
    MatrixController,
    MatrixElement,
  )
  registered = true
}

export interface ChartColors {
  accent: string
  text: string
  muted: string
  grid: string
}

export function chartColors(element: Element): ChartColors {
  const style = getComputedStyle(element)
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback
  return {
    accent: read('--accent', '#0b6e5f'),
    text: read('--text', '#111b21'),
    muted: read('--text-muted', '#54656f'),
    grid: read('--border-subtle', '#eceff2'),
  }
}

/** `rgb()`/hex colour with an alpha, for the heatmap's shades. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color)
  if (hex) {
    const n = parseInt(hex[1]!, 16)
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`
  }
  return color
}

/** `00:00` … `23:00`. */
export const HOUR_LABELS = Array.from(
  { length: 24 },
  (_, hour) => `${String(hour).padStart(2, '0')}:00`,
)

/** Weekday names in the locale, Sunday first (2023-01-01 was a Sunday). */
export function weekdayNames(locale: string, width: 'long' | 'short' = 'long'): string[] {
  const format = new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' })
  return Array.from({ length: 7 }, (_, day) => format.format(Date.UTC(2023, 0, 1 + day)))
}
