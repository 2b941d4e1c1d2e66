/**
 * Sign-in throttling, in memory: at most `perAccount` failures per email and `perAddress` per client
 * address within a sliding `windowMs`. An attempt is counted as a failure the moment it starts
 * (`begin`, synchronous), so parallel guesses cannot all slip in while scrypt runs; `succeeded`
 * takes it back and clears the account's record.
 */
export interface LoginThrottleOptions {
  perAccount?: number
  perAddress?: number
  windowMs?: number
  now?: () => number
}

export interface LoginThrottle {
  /** 0 when the attempt may go ahead (and is now counted), else whole seconds to wait. */
  begin(account: string, address: string): number
  succeeded(account: string, address: string): void
}

// Beyond this many tracked keys, stale ones are swept so a spray of emails cannot grow memory.
const SWEEP_AT = 10_000

export function createLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const perAccount = options.perAccount ?? 5
  const perAddress = options.perAddress ?? 20
  const windowMs = options.windowMs ?? 15 * 60 * 1000
  const now = options.now ?? Date.now
  const failures = new Map<string, number[]>()

  const recent = (key: string, at: number): number[] => {
    const list = (failures.get(key) ?? []).filter((t) => t > at - windowMs)
    if (list.length > 0) failures.set(key, list)
    else failures.delete(key)
    return list
  }
  // Milliseconds until the key is back under its limit.
  const wait = (list: number[], limit: number, at: number): number =>
    list.length < limit ? 0 : list[list.length - limit]! + windowMs - at

  const sweep = (at: number) => {
    for (const [key, list] of failures) {
      if (list.every((t) => t <= at - windowMs)) failures.delete(key)
    }
  }

  return {
    begin(account, address) {
      const at = now()
      if (failures.size > SWEEP_AT) sweep(at)
      const accountKey = `account:${account}`
      const addressKey = `address:${address}`
      const accountList = recent(accountKey, at)
      const addressList = recent(addressKey, at)
      const ms = Math.max(wait(accountList, perAccount, at), wait(addressList, perAddress, at))
      if (ms > 0) return Math.ceil(ms / 1000)
      failures.set(accountKey, [...accountList, at].slice(-perAccount))
      failures.set(addressKey, [...addressList, at].slice(-perAddress))
      return 0
    },
    succeeded(account, address) {
      failures.delete(`account:${account}`)
      const addressKey = `address:${address}`
      const list = failures.get(addressKey)
      if (list) {
        list.pop()
        if (list.length === 0) failures.delete(addressKey)
      }
    },
  }
}
