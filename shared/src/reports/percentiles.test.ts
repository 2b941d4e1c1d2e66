import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { percentile, summarizeDurations } from './percentiles.js'

const sorted = (values: number[]) => [...values].sort((a, b) => a - b)

describe('percentile', () => {
  it('interpolates between the closest ranks', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(percentile([1, 2, 3], 0.5)).toBe(2)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1)
    expect(percentile([7], 0.9)).toBe(7)
    expect(percentile([], 0.5)).toBeNull()
  })

  const values = fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 200 })

  it('lies between the least and the greatest value, and grows with p', () => {
    fc.assert(
      fc.property(
        values,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, p, q) => {
          const s = sorted(xs)
          const at = percentile(s, p)!
          expect(at).toBeGreaterThanOrEqual(s[0]!)
          expect(at).toBeLessThanOrEqual(s.at(-1)!)
          if (p <= q) expect(at).toBeLessThanOrEqual(percentile(s, q)! + 1e-6)
          expect(percentile(s, 0)).toBe(s[0])
          expect(percentile(s, 1)).toBe(s.at(-1))
        },
      ),
    )
  })

  it('the median splits the values in half', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const median = percentile(sorted(xs), 0.5)!
        expect(xs.filter((x) => x < median).length).toBeLessThanOrEqual(xs.length / 2)
        expect(xs.filter((x) => x > median).length).toBeLessThanOrEqual(xs.length / 2)
      }),
    )
  })

  it('selection finds what sorting finds, duplicates and sorted runs included', () => {
    const durations = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 300 }),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 300 }),
      fc.integer({ min: 1, max: 300 }).map((n) => Array.from({ length: n }, (_, i) => i * 7)),
      fc.integer({ min: 1, max: 300 }).map((n) => Array.from({ length: n }, (_, i) => (n - i) * 3)),
    )
    fc.assert(
      fc.property(durations, (xs) => {
        const s = sorted(xs)
        expect(summarizeDurations(xs)).toEqual({
          count: xs.length,
          median: Math.round(percentile(s, 0.5)!),
          p90: Math.round(percentile(s, 0.9)!),
        })
      }),
      { numRuns: 300 },
    )
  })

  it('summaries do not depend on the order of the durations', () => {
    fc.assert(
      fc.property(values, fc.func(fc.integer()), (xs, key) => {
        const shuffled = [...xs].sort((a, b) => key(a) - key(b))
        expect(summarizeDurations(shuffled)).toEqual(summarizeDurations(xs))
        expect(summarizeDurations(xs).count).toBe(xs.length)
      }),
    )
    expect(summarizeDurations([])).toEqual({ count: 0, median: null, p90: null })
  })
})
