/**
 * Orders, flow answers, list rows with a description, unsupported messages WhatsApp names,
 * forwards and ad referrals: posted as Meta sends them (the reference's examples, signed), each
 * lands once in the customer's conversation with what it said, redeliveries change nothing, and
 * closing files it into the ticket transcript readably. A change that names no business number is
 * answered 200, logged without content, and opens no conversation.
 */
import { INBOX_DOC, type CustomerMessage, type TicketDetail } from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { textMessage } from './helpers/fake-meta.js'
import {
  flowReplyMessage,
  forwardedText,
  listReplyWithDescription,
  orderMessage,
  REFERENCE_FLOW_RESPONSE,
  REFERENCE_ORDER,
  REFERENCE_REFERRAL,
  referralText,
  unsupportedOfType,
} from './helpers/reference-examples.js'
import { eventually, startInboundWorld, type InboundWorld } from './whatsapp-inbound-helpers.js'

let world: InboundWorld

beforeAll(async () => {
  world = await startInboundWorld()
})
afterAll(async () => {
  await world?.close()
})

describe('rich inbound types', () => {
  const waId = '5511980000042'
  const customer = { waId, name: 'Rich Types' }
  let conversationId: string
  let messages: CustomerMessage[]
  const bundle = () =>
    world.meta.messages(
      customer,
      referralText(waId, 'I saw your ad', REFERENCE_REFERRAL, { timestamp: 1_800_000_100 }),
      orderMessage(waId, REFERENCE_ORDER, { timestamp: 1_800_000_101 }),
      flowReplyMessage(
        waId,
        { response_json: REFERENCE_FLOW_RESPONSE },
        { timestamp: 1_800_000_102 },
      ),
      flowReplyMessage(waId, { response_json: '{not json' }, { timestamp: 1_800_000_103 }),
      listReplyWithDescription(
        waId,
        { id: 'slot-2', title: 'Tuesday 10:00', description: 'At the Paulista store' },
        { timestamp: 1_800_000_104 },
      ),
      unsupportedOfType(waId, 'poll', { timestamp: 1_800_000_105 }),
      forwardedText(waId, 'Party tonight!', 'forwarded', { timestamp: 1_800_000_106 }),
      forwardedText(waId, 'Chain letter', 'frequently_forwarded', { timestamp: 1_800_000_107 }),
    )
  let payload: ReturnType<typeof bundle>

  beforeAll(async () => {
    payload = bundle()
    expect((await world.meta.webhook(world.server.url, payload)).status).toBe(200)
    const inbox = await world.open(INBOX_DOC)
    const card = await world.card(inbox.doc, `+${waId}`, (c) => c.unread === 8)
    conversationId = card.id
    messages = (await world.messages(conversationId, (m) => m.length === 8)) as CustomerMessage[]
  })

  it('lands each in the conversation with what the customer did', () => {
    expect(messages.map((m) => m.type)).toEqual([
      'text',
      'order',
      'interactive',
      'interactive',
      'interactive',
      'unsupported',
      'text',
      'text',
    ])
    const [ad, order, flow, broken, list, poll, once, many] = messages
    expect(ad!.referral).toMatchObject({
      sourceType: 'ad',
      headline: 'Summer sale: 30% off',
      ctwaClid: REFERENCE_REFERRAL.ctwa_clid,
    })
    expect(order!.order).toMatchObject({
      catalogId: '194836987003835',
      note: 'Can you deliver on Saturday?',
    })
    expect(order!.order!.items).toHaveLength(2)
    expect(flow!.flow!.fields.map((f) => f.value)).toEqual(['Maria Souza', '2026-12-12'])
    expect(broken!.flow).toMatchObject({ malformed: true, responseJson: '{not json' })
    expect(list!.choice).toEqual({
      id: 'slot-2',
      title: 'Tuesday 10:00',
      description: 'At the Paulista store',
    })
    // Facts, not words: the reader's screen says what a poll is, in its language.
    expect(poll).toMatchObject({ unsupportedType: 'poll', text: '' })
    expect(once!.forwarded).toBe('forwarded')
    expect(many!.forwarded).toBe('frequently_forwarded')
  })

  it('a redelivery of the same bytes adds nothing', async () => {
    expect((await world.meta.webhook(world.server.url, payload)).status).toBe(200)
    // A later message shows the redelivery was applied before it (events apply in order).
    await world.meta.webhook(
      world.server.url,
      world.meta.messages(
        customer,
        textMessage(waId, 'after the redelivery', { timestamp: 1_800_000_200 }),
      ),
    )
    const after = await world.messages(conversationId, (m) =>
      m.some((x) => x.text === 'after the redelivery'),
    )
    expect(after).toHaveLength(9)
    expect(new Set(after.map((m) => m.id)).size).toBe(9)
  })

  it('the inbox card previews the newest one, as words and facts', async () => {
    const inbox = await world.open(INBOX_DOC)
    const card = await world.card(inbox.doc, `+${waId}`)
    expect(card.lastCustomerMessage).toBe('after the redelivery')
    expect(card.lastCustomerMessageFacts).toEqual({ type: 'text' })
    // An order's text is only what the customer wrote with it; its facts travel on the message.
    const order = messages.find((m) => m.type === 'order')!
    expect(order.text).toBe('Can you deliver on Saturday?')
  })

  it('closing files every one into the ticket transcript, readable and whole', async () => {
    const closed = await world.server.request(`/api/conversations/${conversationId}/close`, {
      method: 'POST',
      token: world.token,
    })
    expect(closed.status).toBe(200)
    const { ticketId } = (await closed.json()) as { ticketId: string }
    const got = await world.server.request(`/api/tickets/${ticketId}`, { token: world.token })
    const { ticket } = (await got.json()) as { ticket: TicketDetail }
    const filed = ticket.messages.filter((m) => m.kind === 'customer')
    expect(filed.map((m) => m.text)).toEqual([
      'I saw your ad',
      'Can you deliver on Saturday?',
      '',
      '',
      'Tuesday 10:00',
      '',
      'Party tonight!',
      'Chain letter',
      'after the redelivery',
    ])
    expect(filed[0]).toMatchObject({ referral: { headline: 'Summer sale: 30% off' } })
    expect(filed[1]).toMatchObject({ order: { items: [{ productRetailerId: 'di9ozbzfi4' }, {}] } })
    expect(filed[4]).toMatchObject({ choice: { description: 'At the Paulista store' } })
    expect(filed[6]).toMatchObject({ forwarded: 'forwarded' })
  })
})

describe('a change that names no business number (issue 18)', () => {
  it('is answered 200 and logged without content, and opens no conversation', async () => {
    const waId = '5511980000043'
    const payload = world.meta.messages(
      { waId, name: 'Nobody Knows' },
      textMessage(waId, 'secret body text'),
    )
    delete (payload.entry[0]!.changes[0]!.value as { metadata?: unknown }).metadata
    const conversations = () =>
      world.sql<{ n: number }>('SELECT count(*) AS n FROM conversations')[0]!.n
    const opened = conversations()
    const before = world.server.output().stdout.length
    expect((await world.meta.webhook(world.server.url, payload)).status).toBe(200)
    const line = await eventually(() =>
      world.server
        .output()
        .stdout.slice(before)
        .split('\n')
        .find((l) => l.includes('change without metadata.phone_number_id skipped')),
    )
    // Stored first (the log names the stored event's seq), never its content.
    expect(JSON.parse(line)).toMatchObject({
      msg: 'webhook parts skipped',
      seq: expect.any(Number),
    })
    const logged = world.server.output().stdout.slice(before)
    expect(logged).not.toContain(waId)
    expect(logged).not.toContain('secret body text')
    expect(logged).not.toContain('Nobody Knows')
    expect(conversations()).toBe(opened)
    expect(world.sql('SELECT id FROM contacts WHERE phone = ?', `+${waId}`)).toEqual([])
    expect(world.sql('SELECT id FROM contacts WHERE wa_id = ?', waId)).toEqual([])
  })
})
