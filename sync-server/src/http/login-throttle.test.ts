import { describe, expect, it } from 'vitest'
import { createLoginThrottle } from './login-throttle.js'

const SECOND = 1000
const MINUTE = 60 * SECOND

function throttle() {
  let now = 1_000_000
  const limiter = createLoginThrottle({
    perPair: 5,
    accountFree: 5,
    addressFree: 20,
    baseDelayMs: SECOND,
    maxDelayMs: 10 * SECOND,
    windowMs: 15 * MINUTE,
    now: () => now,
  })
  return { limiter, advance: (ms: number) => (now += ms) }
}

/** `count` wrong passwords on `account` from `address`, each through begin and failed. */
async function fail(
  limiter: ReturnType<typeof throttle>['limiter'],
  account: string,
  address: string,
  count = 1,
) {
  for (let i = 0; i < count; i++) {
    const verdict = await limiter.begin(account, address)
    if (verdict.retryAfter === 0) await limiter.failed(account, address)
  }
}

describe('login throttle', () => {
  it('refuses the sixth attempt of one (account, address) pair and says how long to wait', async () => {
    const { limiter, advance } = throttle()
    for (let i = 0; i < 5; i++) {
      expect((await limiter.begin('ana@x', '10.0.0.1')).retryAfter).toBe(0)
      advance(MINUTE)
    }
    // The first failure was 5 minutes ago: it leaves the 15-minute window in 10 minutes.
    expect((await limiter.begin('ana@x', '10.0.0.1')).retryAfter).toBe(10 * 60)
    advance(10 * MINUTE)
    expect((await limiter.begin('ana@x', '10.0.0.1')).retryAfter).toBe(0)
  })

  it('never refuses the account from another address: it slows it down, growing to a cap', async () => {
    const { limiter } = throttle()
    await fail(limiter, 'ana@x', '10.0.0.1', 50) // 5 counted, 45 refused for the pair
    expect(await limiter.begin('ana@x', '10.0.0.2')).toEqual({ retryAfter: 0, delayMs: SECOND })
    await limiter.failed('ana@x', '10.0.0.2')
    const delays = []
    for (let i = 3; i < 12; i++) {
      const verdict = await limiter.begin('ana@x', `10.0.0.${i}`)
      expect(verdict.retryAfter).toBe(0)
      delays.push(verdict.delayMs)
      await limiter.failed('ana@x', `10.0.0.${i}`)
    }
    expect(delays).toEqual([2, 4, 8, 10, 10, 10, 10, 10, 10].map((s) => s * SECOND))
    // Other accounts are not slowed by it.
    expect(await limiter.begin('bob@x', '10.0.0.1')).toEqual({ retryAfter: 0, delayMs: 0 })
  })

  it('slows down an address spraying many accounts, without refusing it', async () => {
    const { limiter } = throttle()
    for (let i = 0; i < 20; i++) await fail(limiter, `user${i}@x`, '10.0.0.1')
    expect(await limiter.begin('fresh@x', '10.0.0.1')).toEqual({ retryAfter: 0, delayMs: SECOND })
    expect(await limiter.begin('fresh@x', '10.0.0.9')).toEqual({ retryAfter: 0, delayMs: 0 })
  })

  it('forgets the slow-down once the window has passed', async () => {
    const { limiter, advance } = throttle()
    for (let i = 0; i < 8; i++) await fail(limiter, 'ana@x', `10.0.1.${i}`)
    expect((await limiter.begin('ana@x', '10.0.2.1')).delayMs).toBeGreaterThan(0)
    advance(15 * MINUTE)
    expect((await limiter.begin('ana@x', '10.0.2.1')).delayMs).toBe(0)
  })

  it('a success forgives the account and the pair, and does not count against the address', async () => {
    const { limiter } = throttle()
    await fail(limiter, 'ana@x', '10.0.0.1', 4)
    expect(await limiter.begin('ana@x', '10.0.0.1')).toEqual({ retryAfter: 0, delayMs: 0 })
    await limiter.succeeded('ana@x', '10.0.0.1')
    for (let i = 0; i < 5; i++)
      expect(await limiter.begin('ana@x', '10.0.0.1')).toEqual({ retryAfter: 0, delayMs: 0 })
    // 4 + 5 failures counted for the address; the successful attempt was taken back.
    for (let i = 0; i < 11; i++)
      expect((await limiter.begin(`o${i}@x`, '10.0.0.1')).delayMs).toBe(0)
    expect((await limiter.begin('last@x', '10.0.0.1')).delayMs).toBeGreaterThan(0)
  })

  it('raises the alert once per window when an account reaches 5 failures', async () => {
    const { limiter, advance } = throttle()
    const reports = []
    for (let i = 0; i < 8; i++) {
      await limiter.begin('ana@x', `10.0.0.${i % 3}`)
      reports.push(await limiter.failed('ana@x', `10.0.0.${i % 3}`))
    }
    expect(reports.map((r) => r.alert)).toEqual([
      false,
      false,
      false,
      false,
      true,
      false,
      false,
      false,
    ])
    expect(reports[4]).toEqual({
      failures: 5,
      addresses: ['10.0.0.1', '10.0.0.0', '10.0.0.2'],
      alert: true,
    })
    advance(15 * MINUTE)
    await fail(limiter, 'ana@x', '10.0.0.7', 4)
    await limiter.begin('ana@x', '10.0.0.7')
    expect((await limiter.failed('ana@x', '10.0.0.7')).alert).toBe(true)
  })
})
