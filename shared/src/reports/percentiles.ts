/**
 * Percentiles by linear interpolation between the closest ranks (Hyndman & Fan's type 7, as
 * spreadsheets' PERCENTILE.INC and numpy's default): p50 of [1, 2, 3, 4] is 2.5, p90 of 1..10 is
 * 9.1. Medians of an even count are therefore the mean of the two middle values, as people expect.
 *
 * Reports need two percentiles of up to a few hundred thousand durations, so they are found by
 * selection (quickselect, median-of-three pivots, in place on a copy): linear time, where sorting
 * would be n log n.
 */

/** The `p`-th percentile (0 ≤ p ≤ 1) of values sorted ascending; null for none. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length
  if (n === 0) return null
  if (!(p >= 0 && p <= 1)) throw new RangeError('p must be between 0 and 1')
  const rank = p * (n - 1)
  const below = Math.floor(rank)
  const above = Math.min(n - 1, below + 1)
  const low = sorted[below]!
  return low + (sorted[above]! - low) * (rank - below)
}

function swap(values: Float64Array, i: number, j: number): void {
  const t = values[i]!
  values[i] = values[j]!
  values[j] = t
}

/**
 * Rearranges `values[lo..hi]` so that `values[k]` holds what would be there if it were sorted,
 * with nothing greater before it and nothing smaller after it.
 */
function select(values: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    // Median of three as the pivot, moved to `hi`: sorted or reversed input stays linear.
    const mid = (lo + hi) >>> 1
    if (values[mid]! < values[lo]!) swap(values, mid, lo)
    if (values[hi]! < values[lo]!) swap(values, hi, lo)
    if (values[mid]! < values[hi]!) swap(values, mid, hi)
    const pivot = values[hi]!
    // Three-way partition, so runs of equal durations do not degrade it.
    let lt = lo
    let gt = hi
    let i = lo
    while (i <= gt) {
      const v = values[i]!
      if (v < pivot) swap(values, lt++, i++)
      else if (v > pivot) swap(values, i, gt--)
      else i++
    }
    if (k < lt) hi = lt - 1
    else if (k > gt) lo = gt + 1
    else return
  }
}

/** The `p`-th percentiles of unsorted values, in the order of `ps` (ascending). Reorders `values`. */
function percentilesInPlace(values: Float64Array, ps: readonly number[]): number[] {
  const n = values.length
  let from = 0
  return ps.map((p) => {
    const rank = p * (n - 1)
    const below = Math.floor(rank)
    select(values, below, from, n - 1)
    const low = values[below]!
    let result = low
    if (rank > below) {
      // The next order statistic is the least of what lies after `below`.
      let next = Infinity
      for (let i = below + 1; i < n; i++) if (values[i]! < next) next = values[i]!
      result = low + (next - low) * (rank - below)
    }
    from = below
    return result
  })
}

/** How many durations, and their median and 90th percentile (ms; null when there are none). */
export interface DurationSummary {
  count: number
  median: number | null
  p90: number | null
}

/** Median and p90 of durations in any order (the input is not changed), rounded to the ms. */
export function summarizeDurations(values: ArrayLike<number>): DurationSummary {
  if (values.length === 0) return { count: 0, median: null, p90: null }
  const [median, p90] = percentilesInPlace(Float64Array.from(values), [0.5, 0.9])
  return { count: values.length, median: Math.round(median!), p90: Math.round(p90!) }
}
