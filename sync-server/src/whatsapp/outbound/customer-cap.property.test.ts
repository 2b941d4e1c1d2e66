/**
 * The per-customer cap under any interleaving of replies in two conversations to one number and
 * one to another, pumps, Meta's answers (success, retryable, final, lost), crashes, agent retries
 * and the clock. Properties: in any rolling minute ending at a call to Meta, at most `cap` distinct
 * messages were handed over for one customer (a retry of the same message does not count twice);
 * and once Meta answers everything, no reply is left behind: each ends sent, failed or unknown.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { newId, type ContactId } from '@atende/shared'
import {
  createHarness,
  type Harness,
  type SendCall,
} from '../../../test/helpers/outbound-harness.js'
import { openConversation } from '../../lifecycle/conversations.js'
import { createContactStore } from '../../store/contacts.js'
import { createConversationStore } from '../../store/conversations.js'
import { GraphError } from '../graph.js'
import { CUSTOMER_WINDOW_MS } from './sender.js'

const CAP = 3
const MARIA = '5511900000001'
const JOAO = '5511900000002'

type Outcome = 'ok' | 'retryable' | 'final' | 'lost'
type Command =
  | { kind: 'reply'; conversation: number }
  | { kind: 'pump' }
  | { kind: 'answer'; pick: number; outcome: Outcome }
  | { kind: 'advance'; ms: number }
  | { kind: 'crash' }
  | { kind: 'retry'; pick: number }

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('reply' as const), conversation: fc.nat(2) }),
    weight: 6,
  },
  { arbitrary: fc.constant({ kind: 'pump' as const }), weight: 4 },
  {
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      pick: fc.nat(),
      outcome: fc.constantFrom<Outcome>('ok', 'ok', 'ok', 'retryable', 'final', 'lost'),
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.integer({ min: 1, max: 40_000 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.constant({ kind: 'crash' as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('retry' as const), pick: fc.nat() }), weight: 1 },
)

const bodyOf = (call: SendCall) => (call.payload as { text: { body: string } }).text.body
const flush = async () => {
  for (let i = 0; i < 4; i++) await new Promise((resolve) => setImmediate(resolve))
}

function errorFor(outcome: Exclude<Outcome, 'ok'>): GraphError {
  if (outcome === 'retryable') return new GraphError(131056, 'Pair rate limit hit', 400)
  if (outcome === 'final') return new GraphError(131026, 'undeliverable', 400)
  return new GraphError(0, 'WhatsApp did not answer in time', null, true)
}

/**
 * A second live conversation to the same number: an agent-made contact holding only the phone
 * (no wa_id yet), whose conversation goes to the same recipient. (A closed conversation would not
 * load again after a crash.)
 */
function sameNumberElsewhere(h: Harness, waId: string): string {
  const id = newId<ContactId>()
  h.db
    .prepare(
      `INSERT INTO contacts (id, name, phone, created_at, updated_at) VALUES (?, 'Maria', ?, 0, 0)`,
    )
    .run(id, `+${waId}`)
  const contact = createContactStore(h.db).get(id)!
  const deps = { docs: h.docs, conversations: createConversationStore(h.db) }
  const { conversation } = openConversation(deps, contact)
  h.customerSays(conversation.id, 'hello')
  return conversation.id
}

async function run(commands: Command[]): Promise<void> {
  const h = createHarness({ backoffMs: 1000, maxAttempts: 3, perCustomerPerMinute: CAP })
  h.channel.setAuto(false)
  try {
    const conversations = [
      h.conversation({ waId: MARIA }),
      sameNumberElsewhere(h, MARIA),
      h.conversation({ waId: JOAO }),
    ]
    const replies: { conversationId: string; id: string }[] = []
    const abandoned = new Set<SendCall>()
    const stamps: number[] = [] // when each call of h.channel.sends was made
    let serial = 0

    const live = () => h.channel.sends.filter((call) => !call.settled && !abandoned.has(call))
    const check = () => {
      // Calls happen only while pumping, and the clock moves only between steps.
      while (stamps.length < h.channel.sends.length) stamps.push(h.clock.now)
      for (const [i, call] of h.channel.sends.entries()) {
        const within = new Set<string>()
        for (const [j, other] of h.channel.sends.entries()) {
          const at = stamps[j]!
          if (other.to === call.to && at > stamps[i]! - CUSTOMER_WINDOW_MS && at <= stamps[i]!)
            within.add(bodyOf(other))
        }
        expect(within.size).toBeLessThanOrEqual(CAP)
      }
    }

    for (const step of commands) {
      if (step.kind === 'reply') {
        const conversationId = conversations[step.conversation]!
        const message = h.reply(conversationId, `reply ${serial++}`)
        replies.push({ conversationId, id: message.id })
      } else if (step.kind === 'pump') {
        h.outbound.pump()
      } else if (step.kind === 'answer') {
        const pending = live()
        const call = pending[step.pick % Math.max(1, pending.length)]
        call?.answer(step.outcome === 'ok' ? { wamid: `w.${serial++}` } : errorFor(step.outcome))
      } else if (step.kind === 'advance') {
        h.clock.now += step.ms
      } else if (step.kind === 'crash') {
        for (const call of live()) abandoned.add(call)
        h.crash()
      } else if (step.kind === 'retry' && replies.length > 0) {
        const reply = replies[step.pick % replies.length]!
        const response = await h.outbound.apiRoutes.request(
          `/conversations/${reply.conversationId}/messages/${reply.id}/retry`,
          { method: 'POST', body: JSON.stringify({ confirm: true }) },
        )
        expect([202, 409]).toContain(response.status)
      }
      await flush()
      check()
    }

    // Meta answers everything from now on; the clock moves to whatever waits (backoff or cap).
    h.channel.setAuto(true)
    for (const call of live()) call.answer({ wamid: `w.late.${serial++}` })
    for (let round = 0; round < 500; round++) {
      h.outbound.pump()
      await h.outbound.idle()
      check()
      const heads = h.outbox.heads()
      if (heads.length === 0) break
      h.clock.now = Math.max(h.clock.now, Math.min(...heads.map((row) => row.nextAttemptAt)))
    }
    for (const reply of replies) {
      const row = h.outbox.get(reply.id)!
      expect(['sent', 'failed', 'unknown']).toContain(row.state)
      expect(h.receipt(reply.conversationId, reply.id)?.status).toBe(row.state)
    }
  } finally {
    await h.close()
  }
}

describe('per-customer cap (property)', () => {
  it('never more than the cap per customer in a rolling minute, and nothing left behind', async () => {
    await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 50 }), run), {
      numRuns: 100,
    })
  }, 120_000)
})
