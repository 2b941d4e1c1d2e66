import { describe, expect, it } from 'vitest'
import { createLogger } from '../../log.js'
import { openDatabase } from '../../store/db.js'
import { createWebhookEventStore, type WebhookEventStore } from '../../store/webhook-events.js'
import type { AcceptedEvent } from './apply.js'
import { createIntake } from './intake.js'

const quiet = createLogger('test', { write: () => {} })

function setup(apply?: (events: readonly AcceptedEvent[]) => void) {
  const db = openDatabase(':memory:')
  const events = createWebhookEventStore(db)
  const commits: number[] = []
  const counted: WebhookEventStore = {
    ...events,
    insertMany(bodies, at) {
      commits.push(bodies.length)
      return events.insertMany(bodies, at)
    },
  }
  const applied: AcceptedEvent[] = []
  const intake = createIntake({
    events: counted,
    log: quiet,
    applyWindowMs: { min: 0, max: 0 },
    apply(batch) {
      if (apply) apply(batch)
      else {
        applied.push(...batch)
        events.settleThrough(Math.max(...batch.map((event) => event.seq)))
      }
      return { messages: 0, statuses: 0, reactions: 0, amendments: 0, failed: 0 }
    },
  })
  return { db, events, intake, commits, applied }
}

const body = (n: number) => Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', n }))
/** The intake applies from a timer (the next turn, with a zero window): one turn later, in order. */
const applyTurn = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('createIntake', () => {
  it('resolves only once the delivery is committed', async () => {
    const { intake, events } = setup()
    let resolved = false
    const accepted = intake.accept(body(1), { n: 1 }).then(() => (resolved = true))
    expect(events.counts().total).toBe(0)
    expect(resolved).toBe(false)
    await accepted
    expect(events.counts().total).toBe(1)
  })

  it('commits the deliveries of one turn together, then applies them in order', async () => {
    const { intake, commits, applied, events } = setup()
    await Promise.all(Array.from({ length: 50 }, (_, n) => intake.accept(body(n), { n })))
    expect(commits).toEqual([50])
    // Committed and answered before the documents are written.
    expect(applied).toEqual([])
    await applyTurn()
    expect(applied.map((event) => (event.payload as { n: number }).n)).toEqual(
      Array.from({ length: 50 }, (_, n) => n),
    )
    expect(events.counts()).toEqual({ total: 50, unapplied: 0 })
  })

  it('a batch that fails is kept with its reason and retried at the next start', async () => {
    const first = setup(() => {
      throw new Error('the documents could not be written')
    })
    await Promise.all([
      first.intake.accept(body(1), { n: 1 }),
      first.intake.accept(body(2), { n: 2 }),
    ])
    await applyTurn()
    expect(first.events.counts()).toEqual({ total: 2, unapplied: 2 })
    // A new process on the same database.
    const replayed: AcceptedEvent[] = []
    const again = createIntake({
      events: first.events,
      log: quiet,
      apply(batch) {
        replayed.push(...batch)
        first.events.clearFailed(batch.filter((event) => event.retry).map((event) => event.seq))
        first.events.settleThrough(Math.max(...batch.map((event) => event.seq)))
        return { messages: 0, statuses: 0, reactions: 0, amendments: 0, failed: 0 }
      },
    })
    expect(again.replay()).toBe(2)
    expect(replayed.map((event) => [event.payload, event.retry])).toEqual([
      [{ object: 'whatsapp_business_account', n: 1 }, true],
      [{ object: 'whatsapp_business_account', n: 2 }, true],
    ])
    expect(first.events.counts().unapplied).toBe(0)
    expect(again.replay()).toBe(0)
  })

  it('events past the applied mark are replayed (a crash before applying)', async () => {
    const { db, events } = setup()
    events.insertMany([body(1), body(2), body(3)], Date.now())
    events.settleThrough(1)
    const replayed: number[] = []
    const intake = createIntake({
      events,
      log: quiet,
      apply(batch) {
        replayed.push(...batch.map((event) => event.seq))
        events.settleThrough(Math.max(...batch.map((event) => event.seq)))
        return { messages: 0, statuses: 0, reactions: 0, amendments: 0, failed: 0 }
      },
    })
    expect(intake.replay()).toBe(2)
    expect(replayed).toEqual([2, 3])
    expect(db.prepare('SELECT applied_through AS n FROM webhook_intake').get()).toEqual({ n: 3 })
  })

  it('drain commits and applies synchronously (shutdown)', () => {
    const { intake, events, applied } = setup()
    void intake.accept(body(7), { n: 7 })
    intake.drain()
    expect(events.counts()).toEqual({ total: 1, unapplied: 0 })
    expect(applied).toHaveLength(1)
  })
})
