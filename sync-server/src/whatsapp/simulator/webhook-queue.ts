/**
 * Meta's side of webhook delivery for the simulator: each payload is POSTed signed to the server's
 * `/webhooks/whatsapp`; anything but a 2xx is retried with backoff (Meta retries for days; the
 * demo gives up after a few tries). Timers are tracked so `stop()` cancels what is pending.
 */
import type { Logger } from '../../log.js'
import { deliverWebhook } from './deliver.js'

export interface WebhookQueueOptions {
  appSecret: string
  log: Logger
  fetch?: typeof fetch
  /** Waits before each retry (default 1 s, 5 s, 15 s). */
  retryDelaysMs?: number[]
}

export interface Timers {
  /** Runs `fn` after `ms` unless stopped first. */
  later(ms: number, fn: () => void): void
  clear(): void
}

export function createTimers(): Timers {
  const pending = new Set<ReturnType<typeof setTimeout>>()
  return {
    later(ms, fn) {
      const timer = setTimeout(() => {
        pending.delete(timer)
        fn()
      }, ms)
      timer.unref?.()
      pending.add(timer)
    },
    clear() {
      for (const timer of pending) clearTimeout(timer)
      pending.clear()
    },
  }
}

export interface WebhookQueue {
  /** Where deliveries go; nothing is sent before it is set. */
  origin: string | null
  /**
   * Delivers `payload`; resolves with the first attempt's HTTP status (null: unreachable).
   * `settled` hears the final outcome once retries are over.
   */
  deliver(kind: string, payload: unknown, settled?: (ok: boolean) => void): Promise<number | null>
  stop(): void
}

export function createWebhookQueue(options: WebhookQueueOptions, timers: Timers): WebhookQueue {
  const retryDelays = options.retryDelaysMs ?? [1000, 5000, 15_000]
  let stopped = false

  const queue: WebhookQueue = {
    origin: null,
    async deliver(kind, payload, settled) {
      const origin = queue.origin
      if (!origin) throw new Error('the simulator has not started')
      const url = `${origin}/webhooks/whatsapp`
      const attempt = async (n: number): Promise<number | null> => {
        let status: number | null = null
        try {
          const response = await deliverWebhook(url, payload, options.appSecret, {
            fetch: options.fetch,
          })
          status = response.status
          await response.body?.cancel()
        } catch {
          status = null
        }
        const ok = status !== null && status >= 200 && status < 300
        if (ok) {
          settled?.(true)
        } else if (n < retryDelays.length && !stopped) {
          options.log.warn('webhook not accepted, will retry', { kind, status, attempt: n + 1 })
          timers.later(retryDelays[n]!, () => void attempt(n + 1))
        } else {
          options.log.warn('webhook given up', { kind, status, attempts: n + 1 })
          settled?.(false)
        }
        return status
      }
      return attempt(0)
    },
    stop() {
      stopped = true
    },
  }
  return queue
}
