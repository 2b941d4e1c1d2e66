import { afterEach, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../../../test/helpers/outbound-harness.js'
import { INTERRUPTED_NOTE } from '../../store/outbox.js'
import { GraphError } from '../graph.js'
import { backoffDelay, DEFAULT_BACKOFF } from './sender.js'
import { WINDOW_CLOSED } from './window.js'

let h: Harness
afterEach(async () => {
  await h?.close()
})

describe('sending agent messages', () => {
  it('sends a reply once, with the exact text payload, and records its wamid', async () => {
    h = createHarness()
    const id = h.conversation({ waId: '5511987654321' })
    const reply = h.reply(id, 'Olá, como posso ajudar?')
    await h.drain()
    await h.drain()
    expect(h.channel.sends).toHaveLength(1)
    const [call] = h.channel.sends
    expect(call!.to).toBe('5511987654321')
    expect(call!.payload).toEqual({ type: 'text', text: { body: 'Olá, como posso ajudar?' } })
    expect(call!.replyTo).toBeUndefined()
    expect(h.receipt(id, reply.id)).toMatchObject({ status: 'sent', waMessageId: 'wamid.test1' })
    expect(h.recorded).toEqual([{ wamid: 'wamid.test1', conversationId: id, messageId: reply.id }])
    expect(h.outbox.get(reply.id)).toMatchObject({ state: 'sent', attempt: 1, synced: true })
  })

  it('quotes the customer message (its wamid) or a sent agent message (its receipt wamid)', async () => {
    h = createHarness()
    const id = h.conversation()
    const question = h.customerSays(id, 'Qual o prazo?', 'wamid.customer.1')
    const first = h.reply(id, 'Três dias', { replyTo: question.id })
    await h.drain()
    const second = h.reply(id, 'Corrigindo', { replyTo: first.id })
    await h.drain()
    expect(h.channel.sends.map((call) => call.replyTo)).toEqual(['wamid.customer.1', 'wamid.test1'])
    expect(h.receipt(id, second.id)?.status).toBe('sent')
  })

  it('never sends notes', async () => {
    h = createHarness()
    const id = h.conversation()
    const note = h.reply(id, 'internal: VIP customer', { kind: 'note' })
    await h.drain()
    expect(h.channel.sends).toHaveLength(0)
    expect(h.outbox.get(note.id)).toBeUndefined()
    expect(h.receipt(id, note.id)).toBeUndefined()
  })

  it('refuses free text outside the 24-hour window without calling Meta', async () => {
    h = createHarness()
    const never = h.conversation({ open: false })
    const a = h.reply(never, 'hello?')
    const stale = h.conversation()
    h.clock.now += 24 * 3600_000 + 1
    const b = h.reply(stale, 'are you there?')
    await h.drain()
    expect(h.channel.sends).toHaveLength(0)
    expect(h.receipt(never, a.id)).toMatchObject({ status: 'failed', error: WINDOW_CLOSED })
    expect(h.receipt(stale, b.id)).toMatchObject({ status: 'failed', error: WINDOW_CLOSED })
  })

  it('sends a template outside the window, parameters as body components', async () => {
    h = createHarness()
    const id = h.conversation({ open: false })
    h.reply(id, 'Olá Maria, seu pedido 42 saiu', {
      template: { name: 'order_update', language: 'pt_BR', params: ['Maria', '42'] },
    })
    await h.drain()
    expect(h.channel.sends[0]!.payload).toEqual({
      type: 'template',
      template: {
        name: 'order_update',
        language: { code: 'pt_BR', policy: 'deterministic' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Maria' },
              { type: 'text', text: '42' },
            ],
          },
        ],
      },
    })
  })

  it('retries retryable errors with backoff, then sends', async () => {
    h = createHarness()
    const id = h.conversation()
    h.channel.failNext(new GraphError(130429, 'throughput', 429))
    h.channel.failNext(new GraphError(0, 'WhatsApp could not be reached', null))
    const reply = h.reply(id, 'hi')
    const start = h.clock.now
    await h.drain()
    expect(h.channel.sends).toHaveLength(3)
    expect(h.receipt(id, reply.id)).toMatchObject({ status: 'sent', waMessageId: 'wamid.test1' })
    expect(h.clock.now - start).toBeGreaterThanOrEqual(750 + 1500)
  })

  it('marks a final error failed with a readable reason, and gives up after maxAttempts', async () => {
    h = createHarness({ maxAttempts: 3 })
    const id = h.conversation()
    h.channel.failNext(new GraphError(131047, 'Re-engagement message', 400))
    const a = h.reply(id, 'one')
    await h.drain()
    expect(h.receipt(id, a.id)).toMatchObject({ status: 'failed', error: WINDOW_CLOSED })
    for (let i = 0; i < 3; i++)
      h.channel.failNext(new GraphError(131000, 'Something went wrong', 500))
    const b = h.reply(id, 'two')
    await h.drain()
    expect(h.channel.sends).toHaveLength(4)
    expect(h.receipt(id, b.id)).toMatchObject({ status: 'failed', error: 'Something went wrong' })
  })

  it('shows a lost answer as unknown and does not resend it', async () => {
    h = createHarness()
    const id = h.conversation()
    h.channel.failNext(new GraphError(0, 'WhatsApp did not answer in time', null, true))
    const reply = h.reply(id, 'hi')
    await h.drain()
    await h.drain()
    expect(h.channel.sends).toHaveLength(1)
    const receipt = h.receipt(id, reply.id)
    expect(receipt?.status).toBe('unknown')
    expect(receipt?.error).toMatch(/may or may not have reached the customer/)
  })

  it('after a crash mid-send, the message shows unknown and is not sent again', async () => {
    h = createHarness()
    const id = h.conversation()
    h.channel.setAuto(false)
    const reply = h.reply(id, 'hi')
    h.outbound.pump()
    await new Promise((resolve) => setImmediate(resolve))
    expect(h.channel.sends).toHaveLength(1)
    expect(h.outbox.get(reply.id)?.state).toBe('sending')
    h.crash()
    h.channel.setAuto(true)
    await h.drain()
    expect(h.channel.sends).toHaveLength(1)
    expect(h.receipt(id, reply.id)).toMatchObject({ status: 'unknown', error: INTERRUPTED_NOTE })
  })

  it('queues agent messages already in a doc when it loads (appended before the watcher)', async () => {
    h = createHarness()
    const id = h.conversation()
    await h.outbound.stop() // no watcher: as if the messages arrived while nothing observed
    const a = h.reply(id, 'first')
    const b = h.reply(id, 'second')
    h.crash()
    h.doc(id) // an agent opens it again: the doc loads and is scanned
    await h.drain()
    expect(
      h.channel.sends.map((call) => (call.payload as { text: { body: string } }).text.body),
    ).toEqual(['first', 'second'])
    expect(h.receipt(id, a.id)?.status).toBe('sent')
    expect(h.receipt(id, b.id)?.status).toBe('sent')
  })

  it('sends a burst in doc order, one at a time per conversation, each exactly once', async () => {
    h = createHarness()
    const one = h.conversation()
    const two = h.conversation()
    h.channel.setAuto(false)
    for (let i = 0; i < 5; i++) {
      h.reply(one, `one ${i}`)
      h.reply(two, `two ${i}`)
    }
    const bodies = () =>
      h.channel.sends.map((call) => (call.payload as { text: { body: string } }).text.body)
    for (let round = 0; round < 5; round++) {
      h.outbound.pump()
      await new Promise((resolve) => setImmediate(resolve))
      // One send in flight per conversation, never two.
      expect(h.channel.sends.filter((call) => !call.settled)).toHaveLength(2)
      for (const call of h.channel.sends)
        if (!call.settled) call.answer({ wamid: `w.${bodies().length}.${call.to}.${round}` })
      await h.outbound.idle()
    }
    expect(bodies().filter((body) => body.startsWith('one'))).toEqual(
      [0, 1, 2, 3, 4].map((i) => `one ${i}`),
    )
    expect(bodies().filter((body) => body.startsWith('two'))).toEqual(
      [0, 1, 2, 3, 4].map((i) => `two ${i}`),
    )
  })

  it('a stale receipt from a cut-short retry is cleared before the send', async () => {
    h = createHarness()
    const id = h.conversation()
    h.channel.failNext(new GraphError(131026, 'undeliverable', 400))
    const reply = h.reply(id, 'hi')
    await h.drain()
    expect(h.receipt(id, reply.id)?.status).toBe('failed')
    expect(h.outbox.requeue(reply.id, h.clock.now)).toBe(true) // the crash hit before the receipt reset
    await h.drain()
    expect(h.receipt(id, reply.id)).toMatchObject({ status: 'sent' })
  })
})

describe('backoffDelay', () => {
  it('doubles up to the ceiling, with jitter in [75 %, 100 %]', () => {
    expect(backoffDelay(1, DEFAULT_BACKOFF, () => 1)).toBe(1000)
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 1)).toBe(4000)
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0)).toBe(3000)
    expect(backoffDelay(20, DEFAULT_BACKOFF, () => 1)).toBe(60_000)
  })
})
