import {
  conversationDocName,
  conversationParts,
  INBOX_DOC,
  readInbox,
  readMessages,
  readMeta,
  readReceipt,
  type CustomerMessage,
} from '@atende/shared'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../log.js'
import { createContactStore } from '../../store/contacts.js'
import { createConversationStore } from '../../store/conversations.js'
import { openDatabase } from '../../store/db.js'
import { createDocumentStore } from '../../store/documents.js'
import { createMediaStore } from '../../store/media.js'
import { createWaMessageStore } from '../../store/wa-messages.js'
import { createWebhookEventStore } from '../../store/webhook-events.js'
import { DocManager } from '../../sync/docs.js'
import { createDelivery } from '../delivery.js'
import {
  imageMessage,
  messagesWebhook,
  metaJson,
  reactionMessage,
  statusEvent,
  statusesWebhook,
  textMessage,
  type Business,
  type InboundMessage,
} from '../simulator/payloads.js'
import { applyEvents, type ApplyDeps } from './apply.js'
import { messageIdFor } from './parse.js'

const business: Business = {
  wabaId: '1',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550001111',
}
const quiet = createLogger('test', { write: () => {} })

function harness() {
  const db = openDatabase(':memory:')
  const docs = new DocManager({ store: createDocumentStore(db), log: quiet })
  const events = createWebhookEventStore(db)
  const wa = createWaMessageStore(db)
  let mediaQueued = 0
  const deps: ApplyDeps = {
    db,
    docs,
    contacts: createContactStore(db),
    conversations: createConversationStore(db),
    events,
    wa,
    media: createMediaStore(db),
    log: quiet,
    phoneNumberId: () => business.phoneNumberId,
    onMediaQueued: () => void mediaQueued++,
  }
  const delivery = createDelivery({ db, docs, log: quiet })
  /** Stores and applies deliveries as one batch, like the intake does. */
  const deliver = (...payloads: unknown[]) => {
    const bodies = payloads.map((payload) => Buffer.from(metaJson(payload)))
    const seqs = events.insertMany(bodies, Date.now())
    return applyEvents(
      deps,
      seqs.map((seq, i) => ({ seq, receivedAt: Date.now(), payload: payloads[i] })),
    )
  }
  const from = (waId: string, name: string, ...messages: InboundMessage[]) =>
    messagesWebhook(business, { waId, name }, messages)
  const conversationOf = (waId: string) => {
    const contact = deps.contacts.byWaId(waId)!
    return deps.conversations.openFor(contact.id)!.id
  }
  const doc = (conversationId: string) => docs.get(conversationDocName(conversationId)).doc
  const inbox = () => readInbox(docs.get(INBOX_DOC).doc)
  return {
    db,
    docs,
    deps,
    wa,
    events,
    delivery,
    deliver,
    from,
    conversationOf,
    doc,
    inbox,
    mediaQueued: () => mediaQueued,
  }
}

describe('applyEvents', () => {
  it('creates contact, conversation, message, meta and inbox card', () => {
    const h = harness()
    h.deliver(
      h.from(
        '5511900000001',
        'Maria',
        textMessage('5511900000001', 'Olá', { id: 'wamid.1', timestamp: 1_700_000_000 }),
      ),
    )
    const id = h.conversationOf('5511900000001')
    const [message] = readMessages(h.doc(id)) as CustomerMessage[]
    expect(message).toMatchObject({
      kind: 'customer',
      text: 'Olá',
      waMessageId: 'wamid.1',
      createdAt: 1_700_000_000_000,
      type: 'text',
    })
    expect(readMeta(h.doc(id))).toMatchObject({
      contactName: 'Maria',
      phone: '+5511900000001',
      lastCustomerMessageAt: 1_700_000_000_000,
    })
    expect(h.inbox()).toMatchObject([
      {
        id,
        contactName: 'Maria',
        lastMessage: 'Olá',
        lastMessageAt: 1_700_000_000_000,
        lastCustomerMessage: 'Olá',
        lastCustomerMessageAt: 1_700_000_000_000,
        unread: 1,
      },
    ])
    // Applied: the raw delivery (customer text, phone number) is gone with the mark's move.
    expect(h.events.counts()).toEqual({ total: 0, unapplied: 0 })
  })

  it('deletes applied deliveries with the mark, keeps failed ones (with their reason) to retry', () => {
    const h = harness()
    const good = '5511900000021'
    const bad = '5511900000022'
    const payloads = [
      h.from(good, 'Good', textMessage(good, 'kept in the document', { id: 'wamid.good' })),
      h.from(bad, 'Bad', textMessage(bad, 'kept for the retry', { id: 'wamid.bad' })),
    ]
    const seqs = h.events.insertMany(
      payloads.map((payload) => Buffer.from(metaJson(payload))),
      Date.now(),
    )
    const contacts = h.deps.contacts
    const failing: ApplyDeps = {
      ...h.deps,
      contacts: {
        ...contacts,
        findOrCreateByIdentity(identity, profileName) {
          if (identity.waId === bad) throw new Error('the contact cannot be stored')
          return contacts.findOrCreateByIdentity(identity, profileName)
        },
      },
    }
    const result = applyEvents(
      failing,
      seqs.map((seq, i) => ({ seq, receivedAt: Date.now(), payload: payloads[i] })),
    )
    expect(result).toMatchObject({ messages: 1, failed: 1 })
    const rows = h.db.prepare('SELECT seq, body, error FROM webhook_events').all() as Array<{
      seq: number
      body: Buffer
      error: string | null
    }>
    expect(rows.map((row) => [row.seq, row.error])).toEqual([
      [seqs[1], 'the contact cannot be stored'],
    ])
    expect(rows[0]!.body.toString()).toContain('kept for the retry')
    expect(h.db.prepare('SELECT applied_through AS n FROM webhook_intake').get()).toEqual({
      n: seqs[1],
    })

    // The retry (next start) applies it, and then it goes too.
    const [retry] = h.events.unapplied(0, 10)
    expect(retry).toMatchObject({ seq: seqs[1], retry: true })
    applyEvents(h.deps, [
      { seq: retry!.seq, receivedAt: retry!.receivedAt, payload: payloads[1], retry: true },
    ])
    expect(h.events.counts()).toEqual({ total: 0, unapplied: 0 })
    expect(readMessages(h.doc(h.conversationOf(bad)))).toHaveLength(1)
  })

  it('keeps the profile name current and opens a new conversation once the old one is closed', () => {
    const h = harness()
    h.deliver(h.from('5511900000002', 'Old', textMessage('5511900000002', 'a')))
    const first = h.conversationOf('5511900000002')
    h.db.prepare("UPDATE conversations SET status = 'closed' WHERE id = ?").run(first)
    h.deliver(h.from('5511900000002', 'New Name', textMessage('5511900000002', 'b')))
    const second = h.conversationOf('5511900000002')
    expect(second).not.toBe(first)
    expect(h.deps.contacts.byWaId('5511900000002')!.name).toBe('New Name')
    expect(readMessages(h.doc(second)).map((m) => m.text)).toEqual(['b'])
  })

  it('a rename inside one batch is kept', () => {
    const h = harness()
    const wa = '5511900000009'
    h.deliver(h.from(wa, 'Before', textMessage(wa, 'a')), h.from(wa, 'After', textMessage(wa, 'b')))
    expect(h.deps.contacts.byWaId(wa)!.name).toBe('After')
    expect(h.inbox()[0]).toMatchObject({ contactName: 'After', unread: 2 })
    expect(readMeta(h.doc(h.conversationOf(wa))).contactName).toBe('After')
  })

  it('resolves replies through the wamid index, customer and agent messages alike', () => {
    const h = harness()
    h.deliver(
      h.from('5511900000003', 'R', textMessage('5511900000003', 'first', { id: 'wamid.first' })),
    )
    const id = h.conversationOf('5511900000003')
    h.delivery.recordSent('wamid.agent', id, 'a0000000-0000-4000-8000-00000000000a')
    h.deliver(
      h.from(
        '5511900000003',
        'R',
        textMessage('5511900000003', 're customer', {
          replyTo: { from: '5511900000003', id: 'wamid.first' },
        }),
        textMessage('5511900000003', 're agent', {
          replyTo: { from: business.displayPhoneNumber, id: 'wamid.agent' },
        }),
        textMessage('5511900000003', 're unknown', {
          replyTo: { from: business.displayPhoneNumber, id: 'wamid.nope' },
        }),
      ),
    )
    const [, a, b, c] = readMessages(h.doc(id))
    expect(a!.replyTo).toBe(messageIdFor('wamid.first'))
    expect(b!.replyTo).toBe('a0000000-0000-4000-8000-00000000000a')
    expect(c!.replyTo).toBeUndefined()
  })

  it('writes media placeholders and queues downloads', () => {
    const h = harness()
    h.deliver(
      h.from(
        '5511900000004',
        'M',
        imageMessage(
          '5511900000004',
          { id: '777', mime_type: 'image/png', sha256: 'x' },
          { id: 'wamid.img' },
        ),
      ),
    )
    const id = h.conversationOf('5511900000004')
    const [message] = readMessages(h.doc(id)) as CustomerMessage[]
    expect(conversationParts(h.doc(id)).media.get(message!.media!.mediaId)).toEqual({
      status: 'pending',
    })
    expect(h.deps.media.get(message!.media!.mediaId)).toMatchObject({
      waMediaId: '777',
      status: 'pending',
      kind: 'image',
    })
    expect(h.mediaQueued()).toBe(1)
  })

  it('attaches reactions, removes them, and keeps early ones until their message arrives', () => {
    const h = harness()
    const wa = '5511900000005'
    h.deliver(h.from(wa, 'X', textMessage(wa, 'hi', { id: 'wamid.r1' })))
    const id = h.conversationOf(wa)
    const contactId = h.deps.contacts.byWaId(wa)!.id
    const key = `${messageIdFor('wamid.r1')}|${contactId}`
    const reactions = () => conversationParts(h.doc(id)).reactions
    h.deliver(h.from(wa, 'X', reactionMessage(wa, 'wamid.r1', '❤️', { timestamp: 1_700_000_010 })))
    expect(reactions().get(key)).toEqual({
      messageId: messageIdFor('wamid.r1'),
      emoji: '❤️',
      by: contactId,
      at: 1_700_000_010_000,
    })
    // An older reaction delivered late changes nothing; a removal deletes the entry.
    h.deliver(h.from(wa, 'X', reactionMessage(wa, 'wamid.r1', '😡', { timestamp: 1_700_000_005 })))
    expect((reactions().get(key) as { emoji: string }).emoji).toBe('❤️')
    h.deliver(
      h.from(wa, 'X', reactionMessage(wa, 'wamid.r1', undefined, { timestamp: 1_700_000_020 })),
    )
    expect(reactions().has(key)).toBe(false)
    // A reaction to one of our sends not yet recorded: kept, applied by recordSent.
    h.deliver(h.from(wa, 'X', reactionMessage(wa, 'wamid.later', '👍')))
    h.delivery.recordSent('wamid.later', id, 'a0000000-0000-4000-8000-00000000000b')
    expect(reactions().get(`a0000000-0000-4000-8000-00000000000b|${contactId}`)).toMatchObject({
      emoji: '👍',
    })
    // The unread count is about messages, not reactions.
    expect(h.inbox()[0]!.unread).toBe(1)
  })

  it('applies statuses forward only, and keeps those that overtake their send', () => {
    const h = harness()
    const wa = '5511900000006'
    h.deliver(h.from(wa, 'S', textMessage(wa, 'hi')))
    const id = h.conversationOf(wa)
    const messageId = 'a0000000-0000-4000-8000-00000000000c'
    h.deliver(
      statusesWebhook(business, [
        statusEvent('wamid.out', 'delivered', wa, { timestamp: 1_700_000_001 }),
      ]),
    )
    expect(readReceipt(h.doc(id), messageId)).toBeUndefined()
    h.delivery.recordSent('wamid.out', id, messageId)
    expect(readReceipt(h.doc(id), messageId)).toMatchObject({
      status: 'delivered',
      waMessageId: 'wamid.out',
      at: 1_700_000_001_000,
    })
    h.deliver(
      statusesWebhook(business, [
        statusEvent('wamid.out', 'read', wa),
        statusEvent('wamid.out', 'sent', wa),
      ]),
    )
    expect(readReceipt(h.doc(id), messageId)!.status).toBe('read')
    h.deliver(statusesWebhook(business, statusEvent('wamid.out', 'delivered', wa)))
    expect(readReceipt(h.doc(id), messageId)!.status).toBe('read')
  })

  it('a retry of a batch whose documents were written without their bookkeeping duplicates nothing', () => {
    const h = harness()
    const wa = '5511900000007'
    const payload = h.from(wa, 'C', textMessage(wa, 'once', { id: 'wamid.crash' }))
    h.deliver(payload)
    // Undo the bookkeeping as a failed inbox write leaves it: the message is in its document, the
    // wamid index and the mark are not, and the event is kept to be applied again.
    h.db.exec('DELETE FROM wa_messages; DELETE FROM webhook_intake')
    const [seq] = h.events.insertMany([Buffer.from(metaJson(payload))], Date.now())
    const [row] = h.events.unapplied(0, 10)
    expect(row!.seq).toBe(seq)
    applyEvents(h.deps, [
      { seq: row!.seq, receivedAt: row!.receivedAt, payload: JSON.parse(row!.body.toString()) },
    ])
    expect(readMessages(h.doc(h.conversationOf(wa)))).toHaveLength(1)
    expect(h.wa.get('wamid.crash')).toBeDefined()
    expect(h.events.counts()).toEqual({ total: 0, unapplied: 0 })
  })
})

describe('ordering and dedupe (property)', () => {
  const customers = ['5511911111111', '5511922222222', '5511933333333']
  const message = fc.record({
    customer: fc.integer({ min: 0, max: customers.length - 1 }),
    wamid: fc.integer({ min: 0, max: 40 }).map((n) => `wamid.p${n}`),
    timestamp: fc.integer({ min: 1_700_000_000, max: 1_700_000_030 }),
  })

  it('any delivery order, split and redelivery yields each wamid once, sorted by timestamp', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 40, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 40, maxLength: 40 }),
        (sent, deliverySizes, batchSizes) => {
          // A wamid belongs to one customer and one timestamp: its first occurrence wins.
          const canonical = new Map<string, { customer: number; timestamp: number }>()
          for (const m of sent) if (!canonical.has(m.wamid)) canonical.set(m.wamid, m)
          const deliveries: unknown[] = []
          let i = 0
          for (const size of deliverySizes) {
            if (i >= sent.length) break
            for (const m of sent.slice(i, i + size)) {
              const { customer, timestamp } = canonical.get(m.wamid)!
              const waId = customers[customer]!
              deliveries.push(
                messagesWebhook(
                  business,
                  { waId, name: `C${customer}` },
                  textMessage(waId, m.wamid, { id: m.wamid, timestamp }),
                ),
              )
            }
            i += size
          }
          const h = harness()
          let d = 0
          for (const size of batchSizes) {
            if (d >= deliveries.length) break
            h.deliver(...deliveries.slice(d, d + size))
            d += size
          }
          for (const [index, waId] of customers.entries()) {
            const expected = [...canonical].filter(([, m]) => m.customer === index)
            if (expected.length === 0) continue
            const id = h.conversationOf(waId)
            const messages = readMessages(h.doc(id)) as CustomerMessage[]
            expect(messages.map((m) => m.waMessageId).sort()).toEqual(
              expected.map(([wamid]) => wamid).sort(),
            )
            for (let k = 1; k < messages.length; k++)
              expect(messages[k]!.createdAt).toBeGreaterThanOrEqual(messages[k - 1]!.createdAt)
            const newest = Math.max(...expected.map(([, m]) => m.timestamp)) * 1000
            expect(readMeta(h.doc(id)).lastCustomerMessageAt).toBe(newest)
            const card = h.inbox().find((c) => c.id === id)!
            expect(card.unread).toBe(expected.length)
            expect(card.lastCustomerMessageAt).toBe(newest)
          }
          h.docs.close()
          h.db.close()
        },
      ),
      { numRuns: 60 },
    )
  })

  it('receipts end at the highest of sent/delivered/read whatever the order and repeats', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom('sent', 'delivered', 'read') as fc.Arbitrary<
            'sent' | 'delivered' | 'read'
          >,
          { minLength: 1, maxLength: 8 },
        ),
        fc.integer({ min: 0, max: 8 }),
        (statuses, recordAt) => {
          const h = harness()
          h.deliver(h.from('5511944444444', 'P', textMessage('5511944444444', 'x')))
          const id = h.conversationOf('5511944444444')
          const messageId = 'a0000000-0000-4000-8000-00000000000d'
          statuses.forEach((status, k) => {
            if (k === recordAt) h.delivery.recordSent('wamid.o', id, messageId)
            h.deliver(
              statusesWebhook(
                business,
                statusEvent('wamid.o', status, '5511944444444', { timestamp: 1_700_000_000 + k }),
              ),
            )
          })
          if (recordAt >= statuses.length) h.delivery.recordSent('wamid.o', id, messageId)
          const rank = { sent: 1, delivered: 2, read: 3 }
          const best = statuses.reduce((a, b) => (rank[b] > rank[a] ? b : a))
          expect(readReceipt(h.doc(id), messageId)!.status).toBe(best)
          h.docs.close()
          h.db.close()
        },
      ),
      { numRuns: 60 },
    )
  })
})
