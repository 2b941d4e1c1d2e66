/**
 * Durable webhook intake with group commit.
 *
 * A verified delivery waits (a promise) until it is committed to `webhook_events`; the route
 * answers 200 only then, so a `kill -9` right after the 200 loses nothing. Every delivery read in
 * the same turn of the event loop is committed by one transaction (`setImmediate`, so the whole
 * I/O phase is gathered first): under load one commit serves many requests.
 *
 * Once committed, the events are applied to the documents after the 200s are written, from a timer:
 * at the start of a later turn when the server is idle (a lone message shows up in a few ms), or,
 * while busy, once per apply window (10-50 ms, see APPLY_WINDOW_MS), so a burst is applied in
 * batches that share one document transaction per conversation instead of one per event. Timers
 * run before the turn reads the sockets, so a delivery read in a turn is committed and answered in
 * that same turn, never held back behind an apply. Applying stays in seq order, and is crash-safe:
 * the applied mark moves in the transaction that applies, and `replay()` applies at start-up
 * whatever a crash left past it.
 */
import type { Logger } from '../../log.js'
import type { WebhookEventStore } from '../../store/webhook-events.js'
import type { AcceptedEvent, ApplyResult } from './apply.js'

/** Most events applied in one go (the rest go to the next turn). */
const APPLY_BATCH = 1024
/**
 * While busy, batches are applied this far apart at least and at most: twice the time the last
 * batch took, so applying takes about a third of the time and the rest answers webhooks. The cap
 * keeps a message under load visible well inside the 100 ms an agent may wait.
 */
export const APPLY_WINDOW_MS = { min: 10, max: 50 } as const

export interface IntakeDeps {
  events: WebhookEventStore
  apply(events: readonly AcceptedEvent[]): ApplyResult
  log: Logger
  /** While busy, apply batches this far apart (ms), between `min` and `max`. */
  applyWindowMs?: { min: number; max: number }
}

interface Waiting {
  body: Buffer
  payload: unknown
  resolve(): void
  reject(err: unknown): void
}

export function createIntake(deps: IntakeDeps) {
  const { events, log } = deps
  const window = deps.applyWindowMs ?? APPLY_WINDOW_MS
  let waiting: Waiting[] = []
  let flushScheduled = false
  const queue: AcceptedEvent[] = []
  let applyTimer: { cancel(): void } | null = null
  let lastApplyAt = -Infinity
  let lastApplyMs = 0
  let stalled = false

  function flush(): void {
    flushScheduled = false
    const batch = waiting
    waiting = []
    if (batch.length === 0) return
    const receivedAt = Date.now()
    let seqs: number[]
    try {
      seqs = events.insertMany(
        batch.map((item) => item.body),
        receivedAt,
      )
    } catch (err) {
      log.error('storing webhook events failed', { count: batch.length, err })
      for (const item of batch) item.reject(err)
      return
    }
    batch.forEach((item, i) => {
      queue.push({ seq: seqs[i]!, receivedAt, payload: item.payload })
      item.resolve()
    })
    scheduleApply()
  }

  function scheduleApply(): void {
    if (applyTimer) return
    const windowMs = Math.min(window.max, Math.max(window.min, 2 * lastApplyMs))
    const wait = lastApplyAt + windowMs - performance.now()
    const timeout = setTimeout(applyQueued, Math.max(0, wait))
    applyTimer = { cancel: () => clearTimeout(timeout) }
  }

  function applyQueued(): void {
    applyTimer = null
    lastApplyAt = performance.now()
    const batch = queue.splice(0, APPLY_BATCH)
    if (batch.length > 0) run(batch)
    lastApplyMs = performance.now() - lastApplyAt
    if (queue.length > 0) scheduleApply()
  }

  /**
   * Events are settled strictly in seq order (the store keeps one "applied through" mark). A batch
   * that fails as a whole is marked failed, to be retried at the next start; if even that cannot
   * be written, applying stops here (everything after stays past the mark, for the next start).
   */
  function run(batch: readonly AcceptedEvent[]): void {
    if (stalled) return
    try {
      const result = deps.apply(batch)
      log.debug('webhook events applied', { events: batch.length, ...result })
    } catch (err) {
      log.error('applying webhook events failed', { events: batch.length, err })
      try {
        events.markFailed(
          batch.map((event) => event.seq),
          err instanceof Error ? err.message : String(err),
        )
        events.settleThrough(Math.max(...batch.map((event) => event.seq)))
      } catch (again) {
        stalled = true
        log.error('webhook events cannot be settled; applying stops until a restart', {
          err: again,
        })
      }
    }
  }

  return {
    /** Resolves once the delivery is committed; rejects when it could not be stored. */
    accept(body: Buffer, payload: unknown): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ body, payload, resolve, reject })
        if (!flushScheduled) {
          flushScheduled = true
          setImmediate(flush)
        }
      })
    },
    /** Applies every stored event not yet applied (start-up, after a crash), oldest first. */
    replay(): number {
      let after = 0
      let count = 0
      for (;;) {
        const rows = events.unapplied(after, APPLY_BATCH)
        if (rows.length === 0) return count
        const batch: AcceptedEvent[] = []
        for (const row of rows) {
          after = row.seq
          try {
            const payload: unknown = JSON.parse(row.body.toString('utf8'))
            batch.push({ seq: row.seq, receivedAt: row.receivedAt, payload, retry: row.retry })
          } catch {
            events.markFailed([row.seq], 'the stored body is not JSON')
          }
        }
        if (batch.length > 0) run(batch)
        if (stalled) return count
        events.settleThrough(after)
        count += rows.length
      }
    },
    /** Commits what waits and applies what is queued, synchronously (shutdown). */
    drain(): void {
      flush()
      applyTimer?.cancel()
      applyTimer = null
      while (queue.length > 0) run(queue.splice(0, APPLY_BATCH))
    },
  }
}

export type Intake = ReturnType<typeof createIntake>
