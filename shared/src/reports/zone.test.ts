import { describe, expect, it } from 'vitest'
import { DAY_MS, HOUR_MS, isTimeZone, localTimeOf, OffsetTimeline, zoneOffset } from './zone.js'

const at = (iso: string) => Date.parse(iso)
function local(timeZone: string, iso: string) {
  const ms = at(iso)
  const timeline = new OffsetTimeline(timeZone, ms - DAY_MS, ms + DAY_MS)
  const { day, weekday, hour, minuteOfDay } = timeline.localTime(ms)
  return {
    date: new Date(day * DAY_MS).toISOString().slice(0, 10),
    weekday,
    hour,
    minute: minuteOfDay % 60,
  }
}

describe('zoneOffset', () => {
  it('knows half and three-quarter hour zones', () => {
    expect(zoneOffset('Asia/Kolkata', at('2024-06-01T00:00:00Z'))).toBe(5.5 * HOUR_MS)
    expect(zoneOffset('Asia/Kathmandu', at('2024-06-01T00:00:00Z'))).toBe(5.75 * HOUR_MS)
    expect(zoneOffset('America/St_Johns', at('2024-01-15T00:00:00Z'))).toBe(-3.5 * HOUR_MS)
    expect(zoneOffset('UTC', at('2024-01-15T00:00:00Z'))).toBe(0)
  })

  it('follows São Paulo’s historic DST and its end in 2019', () => {
    expect(zoneOffset('America/Sao_Paulo', at('2018-12-01T12:00:00Z'))).toBe(-2 * HOUR_MS)
    expect(zoneOffset('America/Sao_Paulo', at('2018-06-01T12:00:00Z'))).toBe(-3 * HOUR_MS)
    expect(zoneOffset('America/Sao_Paulo', at('2019-12-01T12:00:00Z'))).toBe(-3 * HOUR_MS)
  })
})

describe('local time', () => {
  it('02:30 UTC is 23:30 of the day before in São Paulo', () => {
    expect(local('America/Sao_Paulo', '2024-03-10T02:30:00Z')).toEqual({
      date: '2024-03-09',
      weekday: 6,
      hour: 23,
      minute: 30,
    })
  })

  it('São Paulo’s DST started at midnight: 2018-11-04 had no 00:xx', () => {
    expect(local('America/Sao_Paulo', '2018-11-04T02:59:00Z')).toMatchObject({
      date: '2018-11-03',
      hour: 23,
    })
    expect(local('America/Sao_Paulo', '2018-11-04T03:00:00Z')).toMatchObject({
      date: '2018-11-04',
      hour: 1,
    })
  })

  it('São Paulo’s DST ended at midnight: 23:xx of 2019-02-16 happened twice', () => {
    expect(local('America/Sao_Paulo', '2019-02-17T01:30:00Z')).toMatchObject({
      date: '2019-02-16',
      hour: 23,
    })
    expect(local('America/Sao_Paulo', '2019-02-17T02:30:00Z')).toMatchObject({
      date: '2019-02-16',
      hour: 23,
    })
    expect(local('America/Sao_Paulo', '2019-02-17T03:00:00Z')).toMatchObject({
      date: '2019-02-17',
      hour: 0,
    })
  })

  it('New York and London change at 02:00 and 01:00', () => {
    expect(local('America/New_York', '2024-03-10T06:59:00Z')).toMatchObject({ hour: 1, minute: 59 })
    expect(local('America/New_York', '2024-03-10T07:00:00Z')).toMatchObject({ hour: 3, minute: 0 })
    expect(local('Europe/London', '2024-10-27T00:30:00Z')).toMatchObject({ hour: 1, minute: 30 })
    expect(local('Europe/London', '2024-10-27T01:30:00Z')).toMatchObject({ hour: 1, minute: 30 })
  })

  it('Kathmandu is 05:45 ahead, Kolkata 05:30', () => {
    expect(local('Asia/Kathmandu', '2024-01-01T18:15:00Z')).toEqual({
      date: '2024-01-02',
      weekday: 2,
      hour: 0,
      minute: 0,
    })
    expect(local('Asia/Kolkata', '2024-01-01T18:15:00Z')).toEqual({
      date: '2024-01-01',
      weekday: 1,
      hour: 23,
      minute: 45,
    })
  })

  it('weekdays count from Sunday = 0, before 1970 too', () => {
    expect(localTimeOf(0).weekday).toBe(4) // 1970-01-01, a Thursday
    expect(localTimeOf(-DAY_MS).weekday).toBe(3)
    expect(localTimeOf(Date.parse('2024-03-10T12:00:00Z')).weekday).toBe(0)
  })
})

describe('isTimeZone', () => {
  it('accepts IANA names and refuses the rest', () => {
    expect(isTimeZone('America/Sao_Paulo')).toBe(true)
    expect(isTimeZone('UTC')).toBe(true)
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false)
    expect(isTimeZone('')).toBe(false)
    expect(isTimeZone(42)).toBe(false)
  })
})
