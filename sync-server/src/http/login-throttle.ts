/**
 * Sign-in throttling that slows guessing down without letting anyone lock an account out.
 *
 * - **Pair** (account, address): at most `perPair` failures per sliding `windowMs`; beyond, that
 *   pair alone gets 429 with Retry-After. The owner, from any other address, is not affected.
 * - **Account**: after `accountFree` failures in the window (from any address), every attempt on the
 *   account waits before its password is checked: `baseDelayMs`, doubling with each further
 *   failure, at most `maxDelayMs`. A delay, never a wall: the right password still gets in.
 * - **Address**: the same growing delay after `addressFree` failures from one address (a spray of
 *   many accounts), so neighbours behind one NAT are slowed, not shut out.
 *
 * An attempt counts as a failure the moment it starts (`begin`), so parallel guesses cannot slip
 * past the pair limit while scrypt runs; `succeeded` takes it back and forgives the account and the
 * pair. `failed` confirms a failure and says, once per window, when the account's owner and the
 * admins should hear of it. Counters live in this process's memory (swept so a spray of emails
 * cannot grow it); the interface is async so a shared store (Redis) can take their place.
 */
export interface LoginThrottleOptions {
  perPair?: number
  accountFree?: number
  addressFree?: number
  baseDelayMs?: number
  maxDelayMs?: number
  windowMs?: number
  now?: () => number
}

export interface LoginVerdict {
  /** More than 0: this (account, address) pair is refused for that many whole seconds. */
  retryAfter: number
  /** Milliseconds to wait before checking the password (0: at once). */
  delayMs: number
}

export interface FailureReport {
  /** Failures on the account within the window, this one included. */
  failures: number
  /** The addresses they came from, most recent first (at most 5). */
  addresses: string[]
  /** True once per window, when the failures reach the alert threshold: tell the owner and admins. */
  alert: boolean
}

export interface LoginThrottle {
  /** Counts the attempt (as a failure until `succeeded`) unless it is refused. */
  begin(account: string, address: string): Promise<LoginVerdict>
  /** The password was wrong (the attempt `begin` counted stays counted). */
  failed(account: string, address: string): Promise<FailureReport>
  succeeded(account: string, address: string): Promise<void>
}

export const LOGIN_THROTTLE_DEFAULTS = {
  perPair: 5,
  accountFree: 5,
  addressFree: 20,
  baseDelayMs: 1000,
  maxDelayMs: 10_000,
  windowMs: 15 * 60 * 1000,
} as const

// Beyond this many tracked keys, stale ones are swept so a spray of emails cannot grow memory.
const SWEEP_AT = 10_000
// Longest list kept per key: enough to count up to the largest limit and the longest delay.
const KEEP = 64

interface Failure {
  at: number
  address: string
}

export function createLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const settings = { ...LOGIN_THROTTLE_DEFAULTS, ...options }
  const { perPair, accountFree, addressFree, baseDelayMs, maxDelayMs, windowMs } = settings
  const now = options.now ?? Date.now
  const failures = new Map<string, Failure[]>()
  /** Account → when its owner was last alerted. */
  const alerted = new Map<string, number>()

  const recent = (key: string, at: number): Failure[] => {
    const list = (failures.get(key) ?? []).filter((f) => f.at > at - windowMs)
    if (list.length > 0) failures.set(key, list)
    else failures.delete(key)
    return list
  }
  const add = (key: string, list: Failure[], failure: Failure) =>
    failures.set(key, [...list, failure].slice(-KEEP))
  // Grows from the first failure past the free ones: base, 2 × base, 4 × base … up to the cap.
  const delay = (count: number, free: number): number =>
    count < free ? 0 : Math.min(baseDelayMs * 2 ** Math.min(count - free, 30), maxDelayMs)

  const sweep = (at: number) => {
    for (const [key, list] of failures) {
      if (list.every((f) => f.at <= at - windowMs)) failures.delete(key)
    }
    for (const [account, time] of alerted) if (time <= at - windowMs) alerted.delete(account)
  }
  const keys = (account: string, address: string) => ({
    pair: `pair:${account}\n${address}`,
    account: `account:${account}`,
    address: `address:${address}`,
  })

  return {
    async begin(account, address) {
      const at = now()
      if (failures.size > SWEEP_AT) sweep(at)
      const key = keys(account, address)
      const pair = recent(key.pair, at)
      if (pair.length >= perPair) {
        const ms = pair[pair.length - perPair]!.at + windowMs - at
        return { retryAfter: Math.max(1, Math.ceil(ms / 1000)), delayMs: 0 }
      }
      const byAccount = recent(key.account, at)
      const byAddress = recent(key.address, at)
      const failure = { at, address }
      add(key.pair, pair, failure)
      add(key.account, byAccount, failure)
      add(key.address, byAddress, failure)
      return {
        retryAfter: 0,
        delayMs: Math.max(
          delay(byAccount.length, accountFree),
          delay(byAddress.length, addressFree),
        ),
      }
    },

    async failed(account) {
      const at = now()
      const list = recent(keys(account, '').account, at)
      const addresses = [...new Set(list.map((f) => f.address).reverse())].slice(0, 5)
      const last = alerted.get(account)
      const alert = list.length >= accountFree && (last === undefined || last <= at - windowMs)
      if (alert) alerted.set(account, at)
      return { failures: list.length, addresses, alert }
    },

    async succeeded(account, address) {
      const key = keys(account, address)
      failures.delete(key.pair)
      failures.delete(key.account)
      alerted.delete(account)
      const list = failures.get(key.address)
      if (list) {
        list.pop()
        if (list.length === 0) failures.delete(key.address)
      }
    },
  }
}
