/**
 * The per-customer cap of the outbox worker (sender.ts): at most DEFAULT_PER_CUSTOMER_PER_MINUTE
 * attempts to one wa_id in any rolling minute. Over the cap nothing is refused or dropped: the
 * lane waits for the minute to roll, then sends in doc order, each message exactly once.
 */
import {
  appendMessage,
  conversationDocName,
  conversationParts,
  newId,
  ORIGIN,
  writeMeta,
  type AgentMessage,
  type Message,
  type MessageId,
} from '@atende/shared'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  AGENT,
  channelHolderFor,
  createHarness,
  fakeChannel,
  quiet,
  type Harness,
  type SendCall,
} from '../../../test/helpers/outbound-harness.js'
import { openConversation } from '../../lifecycle/conversations.js'
import { createContactStore } from '../../store/contacts.js'
import { createConversationStore } from '../../store/conversations.js'
import { openDatabase } from '../../store/db.js'
import { createDocumentStore } from '../../store/documents.js'
import { createOutbox } from '../../store/outbox.js'
import { DocManager } from '../../sync/docs.js'
import { GraphError } from '../graph.js'
import { createOutbound } from './index.js'
import { CUSTOMER_WINDOW_MS, DEFAULT_PER_CUSTOMER_PER_MINUTE } from './sender.js'

const CAP = DEFAULT_PER_CUSTOMER_PER_MINUTE
const MARIA = '5511900000001'
const JOAO = '5511900000002'

let h: Harness

const bodyOf = (call: SendCall) => {
  const payload = call.payload as { text?: { body: string }; template?: { name: string } }
  return payload.text?.body ?? `template ${payload.template?.name}`
}
const bodiesTo = (waId: string) => h.channel.sends.filter((call) => call.to === waId).map(bodyOf)

/** Pumps until nothing more goes out at the current time (the clock does not move). */
async function runNow(): Promise<void> {
  for (let before = -1; before !== h.channel.sends.length;) {
    before = h.channel.sends.length
    h.outbound.pump()
    await h.outbound.idle()
  }
}

function replies(conversationId: string, prefix: string, count: number): AgentMessage[] {
  return Array.from({ length: count }, (_, i) => h.reply(conversationId, `${prefix} ${i}`))
}

describe('per-customer cap', () => {
  afterEach(async () => {
    await h?.close()
  })

  it(`sends ${CAP} of 25 at once; the rest wait for the minute, then go in doc order, once each`, async () => {
    h = createHarness()
    const id = h.conversation({ waId: MARIA })
    const start = h.clock.now
    const burst = replies(id, 'msg', 25)
    await runNow()
    expect(bodiesTo(MARIA)).toEqual(burst.slice(0, CAP).map((m) => m.text))
    // The five waiting are accepted, pending in the doc, queued in the outbox: nothing refused.
    for (const message of burst.slice(CAP)) {
      expect(h.receipt(id, message.id)).toBeUndefined()
      expect(h.outbox.get(message.id)).toMatchObject({ state: 'queued', attempt: 0, error: null })
    }
    // The lane's head waits exactly until the oldest send leaves the window.
    expect(h.outbox.heads()).toEqual([
      expect.objectContaining({
        messageId: burst[CAP]!.id,
        nextAttemptAt: start + CUSTOMER_WINDOW_MS,
      }),
    ])

    h.clock.now = start + CUSTOMER_WINDOW_MS - 1
    await runNow()
    expect(h.channel.sends).toHaveLength(CAP)

    h.clock.now = start + CUSTOMER_WINDOW_MS
    await runNow()
    expect(bodiesTo(MARIA)).toEqual(burst.map((m) => m.text))
    for (const message of burst) expect(h.receipt(id, message.id)?.status).toBe('sent')
    expect(h.outbox.heads()).toEqual([])
  })

  it('rolls: each send that leaves the minute lets exactly one more through', async () => {
    h = createHarness()
    const id = h.conversation({ waId: MARIA })
    const start = h.clock.now
    const sentAt: number[] = []
    replies(id, 'msg', CAP + 3)
    // One send a second: the cap is reached at start + 19 s.
    for (let i = 0; i < CAP; i++) {
      h.outbound.pump()
      await h.outbound.idle()
      sentAt.push(h.clock.now)
      h.clock.now += 1000
    }
    expect(h.channel.sends).toHaveLength(CAP)
    await runNow()
    expect(h.channel.sends).toHaveLength(CAP)
    // Then one more each time one of the first sends turns a minute old, not before.
    for (let i = 0; i < 3; i++) {
      h.clock.now = sentAt[i]! + CUSTOMER_WINDOW_MS - 1
      await runNow()
      expect(h.channel.sends).toHaveLength(CAP + i)
      h.clock.now = sentAt[i]! + CUSTOMER_WINDOW_MS
      await runNow()
      expect(h.channel.sends).toHaveLength(CAP + i + 1)
    }
    expect(h.clock.now).toBe(start + 2000 + CUSTOMER_WINDOW_MS)
  })

  it('a second customer is not held by the first one’s cap', async () => {
    h = createHarness()
    const maria = h.conversation({ waId: MARIA })
    const joao = h.conversation({ waId: JOAO })
    replies(maria, 'maria', 25)
    const forJoao = replies(joao, 'joao', 5)
    await runNow()
    expect(bodiesTo(MARIA)).toHaveLength(CAP)
    expect(bodiesTo(JOAO)).toEqual(forJoao.map((m) => m.text))
  })

  it('two conversations of one customer share the budget, each in its own order', async () => {
    h = createHarness()
    const first = h.conversation({ waId: MARIA })
    // The first conversation is closed but still has replies queued; Maria writes again.
    h.db.prepare(`UPDATE conversations SET status = 'closed' WHERE id = ?`).run(first)
    const second = h.conversation({ waId: MARIA })
    expect(second).not.toBe(first)
    const a = replies(first, 'first', 15)
    const b = replies(second, 'second', 15)
    await runNow()
    expect(bodiesTo(MARIA)).toHaveLength(CAP)

    h.clock.now += CUSTOMER_WINDOW_MS
    await runNow()
    const sent = bodiesTo(MARIA)
    expect(sent).toHaveLength(30)
    expect(new Set(sent).size).toBe(30)
    expect(sent.filter((body) => body.startsWith('first'))).toEqual(a.map((m) => m.text))
    expect(sent.filter((body) => body.startsWith('second'))).toEqual(b.map((m) => m.text))
  })

  it('two lanes of one customer starting together cannot both take the last place', async () => {
    h = createHarness()
    const first = h.conversation({ waId: MARIA })
    replies(first, 'early', CAP - 1)
    await runNow()
    h.db.prepare(`UPDATE conversations SET status = 'closed' WHERE id = ?`).run(first)
    const second = h.conversation({ waId: MARIA })
    h.reply(first, 'first late')
    h.reply(second, 'second late')
    h.outbound.pump() // both lanes start in this one pump, both see one place left
    await h.outbound.idle()
    expect(h.channel.sends).toHaveLength(CAP)
    h.clock.now += CUSTOMER_WINDOW_MS
    await runNow()
    expect(h.channel.sends).toHaveLength(CAP + 1)
  })

  it('holds across a restart: a new worker over the same database counts the earlier sends', async () => {
    h = createHarness()
    const id = h.conversation({ waId: MARIA })
    const start = h.clock.now
    replies(id, 'before', CAP)
    await runNow()
    expect(h.channel.sends).toHaveLength(CAP)
    h.crash()
    h.clock.now += 30_000
    const after = replies(id, 'after', 2)
    await runNow()
    expect(h.channel.sends).toHaveLength(CAP)
    expect(h.outbox.get(after[0]!.id)).toMatchObject({
      state: 'queued',
      nextAttemptAt: start + CUSTOMER_WINDOW_MS,
    })
    h.clock.now = start + CUSTOMER_WINDOW_MS
    await runNow()
    expect(bodiesTo(MARIA).slice(CAP)).toEqual(after.map((m) => m.text))
  })

  it('counts template sends too', async () => {
    h = createHarness()
    const id = h.conversation({ waId: MARIA })
    const template = { name: 'order_update', language: 'pt_BR', params: ['Maria', '42'] }
    for (let i = 0; i < CAP; i++) h.reply(id, `Olá Maria, pedido ${i}`, { template })
    const text = h.reply(id, 'one more')
    await runNow()
    expect(bodiesTo(MARIA)).toEqual(Array.from({ length: CAP }, () => 'template order_update'))
    expect(h.outbox.get(text.id)?.state).toBe('queued')
  })

  it('leaves notes alone: a busy team writes hundreds, none queued, none counted', async () => {
    h = createHarness()
    const id = h.conversation({ waId: MARIA })
    const notes = Array.from({ length: 300 }, (_, i) => h.reply(id, `note ${i}`, { kind: 'note' }))
    const reply = h.reply(id, 'visible')
    await runNow()
    const messages = conversationParts(h.doc(id).doc).messages.toArray() as Message[]
    expect(messages.filter((m) => m.kind === 'note')).toHaveLength(notes.length)
    for (const note of notes) expect(h.outbox.get(note.id)).toBeUndefined()
    expect(bodiesTo(MARIA)).toEqual(['visible'])
    expect(h.receipt(id, reply.id)?.status).toBe('sent')
  })

  it('a 131056 (too fast to one customer) from Meta is retried with backoff, and counted', async () => {
    const tooFast = new GraphError(131056, 'Pair rate limit hit', 400)
    expect(tooFast.retryable).toBe(true)
    h = createHarness()
    const id = h.conversation({ waId: MARIA })
    h.channel.failNext(tooFast)
    const first = h.reply(id, 'first')
    await runNow()
    expect(h.outbox.get(first.id)).toMatchObject({ state: 'queued', attempt: 1 })
    // The refused attempt reached Meta: it stays in the count while the row backs off.
    const row = h.outbox.get(first.id)!
    expect(h.outbox.attemptsTo(MARIA, h.clock.now - CUSTOMER_WINDOW_MS, h.clock.now)).toEqual([
      row.startedAt,
    ])
    await h.drain()
    expect(bodiesTo(MARIA)).toEqual(['first', 'first'])
    expect(h.receipt(id, first.id)?.status).toBe('sent')
  })
})

describe('per-customer cap with real timers', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('sets the worker’s timer for the moment the window has room, with no busy loop', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'Date'] })
    const db = openDatabase(':memory:')
    const channel = fakeChannel()
    const holder = channelHolderFor(channel.client)
    const outbox = createOutbox(db)
    const docs = new DocManager({ store: createDocumentStore(db), log: quiet, idleMs: 3600_000 })
    const outbound = createOutbound({
      db,
      docs,
      channel: holder,
      log: quiet,
      dataDir: '/nonexistent',
      delivery: { recordSent: () => {} },
      sender: { perCustomerPerMinute: 2 },
    })
    // A few milliseconds of wake-ups, lanes and the pumps they trigger.
    const settle = async () => {
      for (let i = 0; i < 10; i++) {
        // 1 ms, not 0: a fake timer set while timers run is due 1 ms later.
        await vi.advanceTimersByTimeAsync(1)
        await outbound.idle()
      }
    }
    try {
      outbound.start()
      const contact = createContactStore(db).findOrCreateByWaId(MARIA, 'Maria')
      const { conversation } = openConversation(
        { docs, conversations: createConversationStore(db) },
        contact,
      )
      const shared = docs.get(conversationDocName(conversation.id))
      const burst = ['m0', 'm1', 'm2'].map((text): AgentMessage => ({
        id: newId<MessageId>(),
        kind: 'agent',
        authorId: AGENT,
        text,
        createdAt: Date.now(),
      }))
      shared.transact((doc) => {
        writeMeta(doc, { lastCustomerMessageAt: Date.now() }, ORIGIN.whatsapp)
        for (const message of burst) appendMessage(doc, message, ORIGIN.local)
      }, ORIGIN.local)
      await settle()
      expect(channel.sends.map(bodyOf)).toEqual(['m0', 'm1'])
      // Held: one timer, the worker's, for the moment the first send turns a minute old.
      const release = outbox.get(burst[0]!.id)!.startedAt! + CUSTOMER_WINDOW_MS
      expect(outbox.get(burst[2]!.id)).toMatchObject({ state: 'queued', nextAttemptAt: release })
      expect(vi.getTimerCount()).toBe(1)
      await vi.advanceTimersByTimeAsync(release - 1 - Date.now())
      expect(channel.sends).toHaveLength(2)
      expect(vi.getTimerCount()).toBe(1) // no busy loop: still that one timer
      await vi.advanceTimersByTimeAsync(1)
      await outbound.idle()
      expect(channel.sends.map(bodyOf)).toEqual(['m0', 'm1', 'm2'])
      expect(channel.sends[2]!.settled).toBe(true)
    } finally {
      await outbound.stop()
      docs.close()
      db.close()
    }
  })
})
