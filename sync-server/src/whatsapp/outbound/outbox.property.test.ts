/**
 * The outbox under any interleaving of agent replies, pumps, Meta's answers (success, retryable,
 * final, lost), crashes (kill -9: calls in flight are never answered to this process), restarts,
 * doc reloads and agent retries. Property: a message is handed to Meta at most once, except after
 * an answer that proves it was not delivered or an agent's confirmed retry of an unknown outcome.
 * And once Meta answers everything, every reply ends with a receipt that matches its outbox row.
 */
import { conversationDocName, type Message } from '@atende/shared'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createHarness, type SendCall } from '../../../test/helpers/outbound-harness.js'
import { GraphError } from '../graph.js'

type Outcome = 'ok' | 'retryable' | 'final' | 'lost'
type Command =
  | { kind: 'reply'; conversation: number }
  | { kind: 'note'; conversation: number }
  | { kind: 'pump' }
  | { kind: 'answer'; pick: number; outcome: Outcome }
  | { kind: 'advance'; ms: number }
  | { kind: 'crash' }
  | { kind: 'reload'; conversation: number }
  | { kind: 'retry'; pick: number; confirm: boolean }

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('reply' as const), conversation: fc.nat(1) }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('note' as const), conversation: fc.nat(1) }),
    weight: 1,
  },
  { arbitrary: fc.constant({ kind: 'pump' as const }), weight: 4 },
  {
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      pick: fc.nat(),
      outcome: fc.constantFrom<Outcome>('ok', 'ok', 'retryable', 'final', 'lost'),
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.integer({ min: 1, max: 120_000 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.constant({ kind: 'crash' as const }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('reload' as const), conversation: fc.nat(1) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('retry' as const),
      pick: fc.nat(),
      confirm: fc.boolean(),
    }),
    weight: 2,
  },
)

const flush = async () => {
  for (let i = 0; i < 4; i++) await new Promise((resolve) => setImmediate(resolve))
}

const bodyOf = (call: SendCall) => (call.payload as { text: { body: string } }).text.body

function errorFor(outcome: Exclude<Outcome, 'ok'>): GraphError {
  if (outcome === 'retryable') return new GraphError(130429, 'throughput reached', 429)
  if (outcome === 'final') return new GraphError(131026, 'undeliverable', 400)
  return new GraphError(0, 'WhatsApp did not answer in time', null, true)
}

async function run(commands: Command[]): Promise<void> {
  const h = createHarness({ backoffMs: 1000, maxAttempts: 3 })
  h.channel.setAuto(false)
  try {
    const conversations = [h.conversation(), h.conversation()]
    const replies: { conversationId: string; id: string; key: string }[] = []
    const notes = new Set<string>()
    const abandoned = new Set<SendCall>() // in flight when the process died: may have gone out
    const notDelivered = new Map<string, number>() // calls answered with a definite error
    const risked = new Map<string, number>() // confirmed retries of an unknown outcome
    let serial = 0

    const live = () => h.channel.sends.filter((call) => !call.settled && !abandoned.has(call))
    const check = () => {
      const calls = new Map<string, number>()
      for (const call of h.channel.sends)
        calls.set(bodyOf(call), (calls.get(bodyOf(call)) ?? 0) + 1)
      for (const [key, count] of calls) {
        expect(notes.has(key)).toBe(false)
        expect(count - (notDelivered.get(key) ?? 0)).toBeLessThanOrEqual(1 + (risked.get(key) ?? 0))
      }
    }

    for (const step of commands) {
      if (step.kind === 'reply' || step.kind === 'note') {
        const key = `${step.kind} ${serial++}`
        const conversationId = conversations[step.conversation]!
        const message = h.reply(conversationId, key, {
          kind: step.kind === 'note' ? 'note' : 'agent',
        })
        if (step.kind === 'note') notes.add(key)
        else replies.push({ conversationId, id: message.id, key })
      } else if (step.kind === 'pump') {
        h.outbound.pump()
      } else if (step.kind === 'answer') {
        const pending = live()
        const call = pending[step.pick % Math.max(1, pending.length)]
        if (call) {
          if (step.outcome === 'ok')
            call.answer({ wamid: `wamid.${bodyOf(call)}.${h.channel.sends.indexOf(call)}` })
          else call.answer(errorFor(step.outcome))
          if (step.outcome === 'retryable' || step.outcome === 'final') {
            notDelivered.set(bodyOf(call), (notDelivered.get(bodyOf(call)) ?? 0) + 1)
          }
        }
      } else if (step.kind === 'advance') {
        h.clock.now += step.ms
      } else if (step.kind === 'crash') {
        for (const call of live()) abandoned.add(call)
        h.crash()
      } else if (step.kind === 'reload') {
        const name = conversationDocName(conversations[step.conversation]!)
        const shared = h.docs.peek(name)
        // Unloaded when idle (nothing in flight holds it in this model), then loaded and rescanned.
        if (shared) h.docs.sweep(Date.now() + 10 * 3600_000)
        h.docs.get(name)
      } else if (step.kind === 'retry' && replies.length > 0) {
        const reply = replies[step.pick % replies.length]!
        const status = (
          h.receipt(reply.conversationId, reply.id) as { status?: string } | undefined
        )?.status
        const response = await h.outbound.apiRoutes.request(
          `/conversations/${reply.conversationId}/messages/${reply.id}/retry`,
          { method: 'POST', body: JSON.stringify({ confirm: step.confirm }) },
        )
        if (response.status === 202 && status === 'unknown') {
          risked.set(reply.key, (risked.get(reply.key) ?? 0) + 1)
        }
        expect([202, 409]).toContain(response.status)
      }
      await flush()
      check()
    }

    // Meta answers everything from now on; nothing crashes.
    h.channel.setAuto(true)
    for (const call of live()) call.answer({ wamid: `wamid.late.${h.channel.sends.indexOf(call)}` })
    await flush()
    await h.drain()
    check()
    for (const reply of replies) {
      const receipt = h.receipt(reply.conversationId, reply.id)
      const row = h.outbox.get(reply.id)!
      expect(['sent', 'failed', 'unknown']).toContain(row.state)
      expect(row.synced).toBe(true)
      expect(receipt?.status).toBe(row.state)
      if (row.state === 'sent') expect(receipt?.waMessageId).toBe(row.wamid)
    }
    const messages = h.doc(conversations[0]!).doc.getArray<Message>('messages').toArray()
    for (const message of messages)
      if (message.kind === 'note') expect(h.outbox.get(message.id)).toBeUndefined()
  } finally {
    await h.close()
  }
}

describe('outbox state machine (property)', () => {
  it('never hands a message to Meta twice silently, whatever crashes and answers interleave', async () => {
    await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), run), {
      numRuns: 150,
    })
  }, 120_000)
})
