/**
 * What a customer does to the conversation afterwards, posted as Meta sends it (signed, the
 * reference's shapes): an edit changes the original message in place and keeps the earlier
 * version, an edit that overtakes its original waits for it, a revoke marks the original deleted
 * while keeping it, redeliveries change nothing; a number change moves the contact, says so in the
 * thread, and the next reply goes to the new number; a status's billing facts stay on the receipt.
 */
import {
  amendedMessage,
  appendMessage,
  conversationDocName,
  conversationParts,
  INBOX_DOC,
  readMessages,
  readReceipt,
  type AgentId,
  type AmendedMessage,
  type EventMessage,
  type MessageAmendment,
  type MessageId,
} from '@atende/shared'
import type * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitForDoc } from './helpers/clients.js'
import { textMessage } from './helpers/fake-meta.js'
import {
  editMessage,
  numberChangeMessage,
  pricedStatus,
  revokeMessage,
} from './helpers/reference-examples.js'
import { startInboundWorld, type InboundWorld } from './whatsapp-inbound-helpers.js'

let world: InboundWorld

beforeAll(async () => {
  world = await startInboundWorld()
})
afterAll(async () => {
  await world?.close()
})

/** The message of that wamid as agents see it (its amendment laid over it). */
function seen(doc: Y.Doc, wamid: string): AmendedMessage | undefined {
  const message = readMessages(doc).find((m) => m.kind === 'customer' && m.waMessageId === wamid)
  if (!message) return undefined
  const amendment = conversationParts(doc).amendments.get(message.id) as
    MessageAmendment | undefined
  return amendedMessage(message, amendment) as AmendedMessage
}

async function conversationOf(waId: string) {
  const inbox = await world.open(INBOX_DOC)
  const card = await world.card(inbox.doc, `+${waId}`)
  return { inbox, card, conversation: await world.open(conversationDocName(card.id)) }
}

describe('edits and deletions', () => {
  const waId = '5511980000101'
  const customer = { waId, name: 'Edit Customer' }
  const post = (...messages: Parameters<typeof world.meta.messages>[1][]) =>
    world.meta.webhook(world.server.url, world.meta.messages(customer, ...messages))

  it('an edit changes the text in place, keeps the earlier version, adds no message', async () => {
    expect((await post(textMessage(waId, 'See you at 2pm', { id: 'wamid.ED1' }))).status).toBe(200)
    const { inbox, card, conversation } = await conversationOf(waId)
    const edit = editMessage(waId, 'wamid.ED1', { text: 'See you at 3pm' }, { id: 'wamid.ED1-e' })
    expect((await post(edit)).status).toBe(200)
    await waitForDoc(conversation.doc, (doc) => seen(doc, 'wamid.ED1')?.editedAt !== undefined)
    const message = seen(conversation.doc, 'wamid.ED1')!
    expect(message.text).toBe('See you at 3pm')
    expect(message.earlierVersions!.map((v) => v.text)).toEqual(['See you at 2pm'])
    expect(readMessages(conversation.doc)).toHaveLength(1)
    // The card follows the edit of its last message.
    const edited = await world.card(
      inbox.doc,
      `+${waId}`,
      (c) => c.id === card.id && !!c.lastCustomerMessageFacts?.edited,
    )
    expect(edited.lastCustomerMessage).toBe('See you at 3pm')

    // A redelivery of the edit, and a second edit: each kept once, in WhatsApp's order.
    expect((await post(edit)).status).toBe(200)
    const second = editMessage(waId, 'wamid.ED1', { text: 'See you at 4pm' }, { id: 'wamid.ED1-f' })
    expect((await post(second)).status).toBe(200)
    await waitForDoc(conversation.doc, (doc) => seen(doc, 'wamid.ED1')?.text === 'See you at 4pm')
    expect(seen(conversation.doc, 'wamid.ED1')!.earlierVersions!.map((v) => v.text)).toEqual([
      'See you at 2pm',
      'See you at 3pm',
    ])
    expect(readMessages(conversation.doc)).toHaveLength(1)
  })

  it('an edit that arrives before its original is applied once the original lands', async () => {
    const { conversation } = await conversationOf(waId)
    const early = editMessage(waId, 'wamid.ED2', { text: 'Fixed typo' }, { id: 'wamid.ED2-e' })
    expect((await post(early)).status).toBe(200)
    await expect
      .poll(() => world.sql('SELECT applied FROM wa_amendments WHERE wamid = ?', 'wamid.ED2-e'))
      .toEqual([{ applied: 0 }])
    expect((await post(textMessage(waId, 'Fixd typo', { id: 'wamid.ED2' }))).status).toBe(200)
    await waitForDoc(conversation.doc, (doc) => seen(doc, 'wamid.ED2')?.text === 'Fixed typo')
    expect(seen(conversation.doc, 'wamid.ED2')!.earlierVersions!.map((v) => v.text)).toEqual([
      'Fixd typo',
    ])
    expect(world.sql('SELECT applied FROM wa_amendments WHERE wamid = ?', 'wamid.ED2-e')).toEqual([
      { applied: 1 },
    ])
    // Redelivered, once applied: still one edit.
    expect((await post(early)).status).toBe(200)
    expect((await post(textMessage(waId, 'barrier', { id: 'wamid.ED2-barrier' }))).status).toBe(200)
    await waitForDoc(conversation.doc, (doc) => seen(doc, 'wamid.ED2-barrier') !== undefined)
    expect(seen(conversation.doc, 'wamid.ED2')!.earlierVersions).toHaveLength(1)
  })

  it('a revoke marks the original deleted by the customer, keeps it, adds no message', async () => {
    const { conversation } = await conversationOf(waId)
    expect((await post(textMessage(waId, 'My card is 1234', { id: 'wamid.RV1' }))).status).toBe(200)
    await waitForDoc(conversation.doc, (doc) => seen(doc, 'wamid.RV1') !== undefined)
    const count = readMessages(conversation.doc).length
    const revoke = revokeMessage(waId, 'wamid.RV1', { id: 'wamid.RV1-r' })
    expect((await post(revoke)).status).toBe(200)
    expect((await post(revoke)).status).toBe(200)
    await waitForDoc(conversation.doc, (doc) => seen(doc, 'wamid.RV1')?.revokedAt !== undefined)
    expect(seen(conversation.doc, 'wamid.RV1')!.text).toBe('My card is 1234')
    expect(readMessages(conversation.doc)).toHaveLength(count)
  })
})

describe('a number change', () => {
  const oldWaId = '5511980000201'
  const newWaId = '5511980000299'

  it('moves the contact, says so in the thread, and the next reply goes to the new number', async () => {
    const { meta } = world
    expect(
      (
        await meta.webhook(
          world.server.url,
          meta.messages({ waId: oldWaId, name: 'Mover' }, textMessage(oldWaId, 'hello')),
        )
      ).status,
    ).toBe(200)
    const { conversation } = await conversationOf(oldWaId)
    // System messages come with no contacts array.
    const change = numberChangeMessage(oldWaId, { waId: newWaId, userId: 'BR.MOVER.2' })
    const payload = meta.messages([], change)
    expect((await meta.webhook(world.server.url, payload)).status).toBe(200)
    expect((await meta.webhook(world.server.url, payload)).status).toBe(200)
    await waitForDoc(conversation.doc, (doc) =>
      readMessages(doc).some((m) => m.kind === 'event' && m.event.type === 'number_changed'),
    )
    const events = readMessages(conversation.doc).filter(
      (m): m is EventMessage => m.kind === 'event' && m.event.type === 'number_changed',
    )
    expect(events).toHaveLength(1)
    expect(events[0]!.event).toMatchObject({ fromPhone: `+${oldWaId}`, toPhone: `+${newWaId}` })
    await waitForDoc(
      conversation.doc,
      () => conversationParts(conversation.doc).meta.get('phone') === `+${newWaId}`,
    )
    expect(
      world.sql('SELECT wa_id, user_id, phone FROM contacts WHERE wa_id = ?', newWaId),
    ).toEqual([{ wa_id: newWaId, user_id: 'BR.MOVER.2', phone: `+${newWaId}` }])

    // The customer writes from the new number: the same conversation carries on.
    await meta.webhook(
      world.server.url,
      meta.messages({ waId: newWaId, name: 'Mover' }, textMessage(newWaId, 'new phone, same me')),
    )
    await waitForDoc(conversation.doc, (doc) =>
      readMessages(doc).some((m) => m.text === 'new phone, same me'),
    )
    const me = await world.server.request('/api/me', { token: world.token })
    const agentId = ((await me.json()) as { user: { id: AgentId } }).user.id
    const id = crypto.randomUUID() as MessageId
    appendMessage(
      conversation.doc,
      { id, kind: 'agent', authorId: agentId, text: 'Noted!', createdAt: Date.now() },
      'local',
    )
    const sends = await meta.waitForSends(1)
    const reply = sends.find(
      (send) => send.body.text && (send.body.text as { body: string }).body === 'Noted!',
    )
    expect(reply?.to).toBe(newWaId)
  })
})

describe('status billing', () => {
  it('keeps pricing.category and conversation.origin.type on the receipt', async () => {
    const waId = '5511980000301'
    const { meta } = world
    await meta.webhook(
      world.server.url,
      meta.messages({ waId, name: 'Billed' }, textMessage(waId, 'price?')),
    )
    const { conversation } = await conversationOf(waId)
    const me = await world.server.request('/api/me', { token: world.token })
    const agentId = ((await me.json()) as { user: { id: AgentId } }).user.id
    const id = crypto.randomUUID() as MessageId
    const before = meta.sends.length
    appendMessage(
      conversation.doc,
      { id, kind: 'agent', authorId: agentId, text: 'R$ 10', createdAt: Date.now() },
      'local',
    )
    const sends = await meta.waitForSends(before + 1)
    const wamid = sends[sends.length - 1]!.wamid
    await waitForDoc(conversation.doc, (doc) => readReceipt(doc, id)?.waMessageId === wamid)
    const status = pricedStatus(wamid, 'delivered', waId, {
      category: 'marketing',
      origin: 'marketing',
    })
    expect((await meta.webhook(world.server.url, meta.statuses(status))).status).toBe(200)
    await waitForDoc(conversation.doc, (doc) => readReceipt(doc, id)?.status === 'delivered')
    expect(readReceipt(conversation.doc, id)).toMatchObject({
      billingCategory: 'marketing',
      conversationOrigin: 'marketing',
    })
    const [row] = world.sql<{ billing_category: string }>(
      `SELECT billing_category FROM wa_statuses WHERE wamid = ? AND status = 'delivered'`,
      wamid,
    )
    expect(row!.billing_category).toBe('marketing')
  })
})
