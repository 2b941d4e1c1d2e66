import { describe, expect, it } from 'vitest'
import { createLoginThrottle } from './login-throttle.js'

const MINUTE = 60_000

function throttle() {
  let now = 1_000_000
  const limiter = createLoginThrottle({
    perAccount: 5,
    perAddress: 20,
    windowMs: 15 * MINUTE,
    now: () => now,
  })
  return { limiter, advance: (ms: number) => (now += ms) }
}

describe('login throttle', () => {
  it('blocks the sixth attempt on an account and says how long to wait', () => {
    const { limiter, advance } = throttle()
    for (let i = 0; i < 5; i++) {
      expect(limiter.begin('ana@x', '10.0.0.1')).toBe(0)
      advance(MINUTE)
    }
    // The first failure was 5 minutes ago: it leaves the 15-minute window in 10 minutes.
    expect(limiter.begin('ana@x', '10.0.0.1')).toBe(10 * 60)
    expect(limiter.begin('ana@x', '10.0.0.2')).toBe(10 * 60)
    advance(10 * MINUTE)
    expect(limiter.begin('ana@x', '10.0.0.1')).toBe(0)
  })

  it('blocks an address after 20 failures across accounts, not other addresses', () => {
    const { limiter } = throttle()
    for (let i = 0; i < 20; i++) expect(limiter.begin(`user${i}@x`, '10.0.0.1')).toBe(0)
    expect(limiter.begin('fresh@x', '10.0.0.1')).toBe(15 * 60)
    expect(limiter.begin('fresh@x', '10.0.0.9')).toBe(0)
  })

  it('a success clears the account and does not count against the address', () => {
    const { limiter } = throttle()
    for (let i = 0; i < 4; i++) limiter.begin('ana@x', '10.0.0.1')
    expect(limiter.begin('ana@x', '10.0.0.1')).toBe(0)
    limiter.succeeded('ana@x', '10.0.0.1')
    for (let i = 0; i < 5; i++) expect(limiter.begin('ana@x', '10.0.0.1')).toBe(0)
    // 4 + 5 failures counted for the address; the successful attempt was taken back.
    for (let i = 0; i < 11; i++) expect(limiter.begin(`other${i}@x`, '10.0.0.1')).toBe(0)
    expect(limiter.begin('last@x', '10.0.0.1')).toBeGreaterThan(0)
  })
})
