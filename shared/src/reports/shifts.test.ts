import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_SHIFT_STARTS,
  formatClock,
  parseClock,
  shiftAt,
  shiftsByQuarter,
  shiftStartsProblem,
  SHIFTS,
  type ShiftStarts,
} from './shifts.js'

const clock = (value: string) => parseClock(value)!

describe('shifts', () => {
  it('by default: morning 06:00–11:59, afternoon 12:00–17:59, night 18:00–05:59', () => {
    const cases: [string, string][] = [
      ['00:00', 'night'],
      ['05:59', 'night'],
      ['06:00', 'morning'],
      ['11:59', 'morning'],
      ['12:00', 'afternoon'],
      ['17:59', 'afternoon'],
      ['18:00', 'night'],
      ['23:59', 'night'],
    ]
    for (const [time, shift] of cases)
      expect(shiftAt(DEFAULT_SHIFT_STARTS, clock(time))).toBe(shift)
  })

  const validStarts = fc
    .uniqueArray(fc.integer({ min: 0, max: 95 }), { minLength: 3, maxLength: 3 })
    .chain((quarters) =>
      fc.nat(2).map((rotate) =>
        [...quarters]
          .sort((a, b) => a - b)
          .map((q) => q * 15)
          .map((_, i, sorted) => sorted[(i + rotate) % 3]!),
      ),
    )
    .map(([morning, afternoon, night]): ShiftStarts => ({
      morning: morning!,
      afternoon: afternoon!,
      night: night!,
    }))

  it('any valid split gives each shift the minutes from its start to the next one’s', () => {
    fc.assert(
      fc.property(validStarts, (starts) => {
        expect(shiftStartsProblem(starts)).toBeNull()
        const minutes = Object.fromEntries(SHIFTS.map((s) => [s, 0]))
        for (let m = 0; m < 1440; m++) minutes[shiftAt(starts, m)]!++
        const length = (from: number, to: number) => (to - from + 1440) % 1440
        expect(minutes).toEqual({
          morning: length(starts.morning, starts.afternoon),
          afternoon: length(starts.afternoon, starts.night),
          night: length(starts.night, starts.morning),
        })
        for (const shift of SHIFTS) expect(shiftAt(starts, starts[shift])).toBe(shift)
        const quarters = shiftsByQuarter(starts)
        for (let m = 0; m < 1440; m++) expect(quarters[Math.floor(m / 15)]).toBe(shiftAt(starts, m))
      }),
    )
  })

  it('refuses splits out of order, equal starts and times off the quarter hour', () => {
    expect(shiftStartsProblem({ morning: 360, afternoon: 1080, night: 720 })).toMatch(/follow/)
    expect(shiftStartsProblem({ morning: 360, afternoon: 360, night: 720 })).toMatch(/different/)
    expect(shiftStartsProblem({ morning: 370, afternoon: 720, night: 1080 })).toMatch(/quarter/)
    expect(shiftStartsProblem({ morning: -15, afternoon: 720, night: 1080 })).toMatch(/time of day/)
    // Night may start after midnight: 22:00, 02:00 is not allowed, but 08:00/14:00/22:00 is.
    expect(shiftStartsProblem({ morning: 480, afternoon: 840, night: 1320 })).toBeNull()
    expect(shiftStartsProblem({ morning: 1380, afternoon: 300, night: 720 })).toBeNull()
  })

  it('reads and writes HH:MM', () => {
    expect(parseClock('06:00')).toBe(360)
    expect(parseClock('23:45')).toBe(1425)
    for (const bad of ['24:00', '6:00', '06:60', 'x', 360]) expect(parseClock(bad)).toBeNull()
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1439 }), (m) => {
        expect(parseClock(formatClock(m))).toBe(m)
      }),
    )
  })
})
