/**
 * Closing a conversation over HTTP: the whole history (customer messages with media, agent replies,
 * internal notes, events) is filed into the ticket; the live doc is deleted, so connected clients
 * are told 4410 and new ones 4404; the card leaves the inbox; the customer's next message opens a
 * new conversation with a new id.
 */
import {
  conversationDocName,
  readMessages,
  readMeta,
  type TicketDetail,
  type TicketSummary,
} from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitForDoc } from './helpers/clients.js'
import { imageMessage } from './helpers/fake-meta.js'
import {
  eventually,
  newCustomer,
  startLifecycleWorld,
  type LifecycleWorld,
} from './helpers/lifecycle-world.js'

let world: LifecycleWorld
beforeAll(async () => {
  world = await startLifecycleWorld()
})
afterAll(async () => {
  await world?.close()
})

describe('POST /api/conversations/:id/close', () => {
  it('files messages, media references, internal notes and events into the ticket', async () => {
    const { ana, bob, meta, server } = world
    const waId = newCustomer()
    const id = await world.customerSays(waId, 'My order did not arrive')
    // A photo from the customer: a media reference in the thread.
    const photo = meta.addMedia(new TextEncoder().encode('jpeg bytes'), 'image/jpeg')
    await meta.webhook(
      server.url,
      meta.messages(
        { waId, name: 'Maria Customer' },
        imageMessage(waId, {
          id: photo,
          mime_type: 'image/jpeg',
          sha256: meta.media(photo)!.sha256,
          caption: 'the box',
        }),
      ),
    )
    const thread = await world.open(conversationDocName(id), ana)
    await waitForDoc(thread.doc, (doc) =>
      readMessages(doc).some((m) => m.kind === 'customer' && 'media' in m),
    )
    const created = await world.call<{ ticket: TicketSummary }>(
      ana,
      'POST',
      `/api/conversations/${id}/ticket`,
    )
    expect(created.status).toBe(201)
    const reply = await world.write(id, ana, 'agent', 'Sorry! Let me check.')
    const note = await world.write(id, ana, 'note', 'Carrier lost it, refund')
    expect(
      (await world.call(ana, 'POST', `/api/conversations/${id}/transfer`, { agentId: bob.id }))
        .status,
    ).toBe(200)
    await meta.waitForSends(1)
    await waitForDoc(thread.doc, (doc) =>
      readMessages(doc).some((m) => m.kind === 'event' && m.event.type === 'transferred'),
    )

    const closed = await world.call<{ ticketId: string; ticketNumber: string }>(
      bob,
      'POST',
      `/api/conversations/${id}/close`,
    )
    expect(closed.status).toBe(200)
    expect(closed.body.ticketId).toBe(created.body.ticket.id)

    const { body } = await world.call<{ ticket: TicketDetail }>(
      bob,
      'GET',
      `/api/tickets/${closed.body.ticketId}`,
    )
    const ticket = body.ticket
    expect(ticket).toMatchObject({
      filed: true,
      conversationId: id,
      number: created.body.ticket.number,
    })
    const filed = readMessages(thread.doc)
    expect(ticket.messages.slice(0, filed.length).map((m) => m.id)).toEqual(filed.map((m) => m.id))
    expect(ticket.messages.map((m) => m.kind)).toEqual([
      'customer',
      'customer',
      'event', // ticket created
      'agent',
      'note',
      'event', // transferred
      'event', // ticket resolved (the default choice)
      'event', // closed
    ])
    expect(ticket.messages[0]).toMatchObject({
      text: 'My order did not arrive',
      authorName: 'Maria Customer',
      internal: false,
    })
    expect(ticket.messages[1]).toMatchObject({
      media: { mediaId: expect.any(String), mimeType: 'image/jpeg' },
    })
    expect(ticket.messages.find((m) => m.id === reply.id)).toMatchObject({
      authorName: 'Ana Souza',
      internal: false,
      receipt: { status: expect.any(String) },
    })
    expect(ticket.messages.find((m) => m.id === note.id)).toMatchObject({
      text: 'Carrier lost it, refund',
      internal: true,
    })
    expect(ticket.messages.at(-1)).toMatchObject({
      kind: 'event',
      authorId: bob.id,
      event: { type: 'closed' },
    })
    expect(ticket.events.map((e) => e.type)).toEqual([
      'ticket_created',
      'transferred',
      'status_changed',
      'closed',
    ])
    // The filed media stays viewable.
    const mediaId = (ticket.messages[1]!.media as { mediaId: string }).mediaId
    const media = await eventually(
      () =>
        fetch(`${server.url}/api/media/${mediaId}`, {
          headers: { authorization: `Bearer ${ana.token}` },
        }),
      (response) => response.status === 200,
    )
    expect(media.status).toBe(200)
  })

  it('deletes the live doc: connected clients get 4410, new ones 4404, the card leaves the inbox', async () => {
    const { ana } = world
    const id = await world.customerSays(newCustomer(), 'Hello?')
    const connected = await world.open(conversationDocName(id), ana)
    const inbox = await world.inbox()

    expect((await world.call(ana, 'POST', `/api/conversations/${id}/close`)).status).toBe(200)
    expect((await connected.closed).code).toBe(4410)
    await waitForDoc(inbox.doc, () => world.card(id) === undefined)
    const late = world.openRaw(conversationDocName(id), ana)
    expect((await late.closed).code).toBe(4404)

    // Closing twice: there is no open conversation any more. Its events still answer.
    const again = await world.call<{ error: { code: string } }>(
      ana,
      'POST',
      `/api/conversations/${id}/close`,
    )
    expect(again).toMatchObject({
      status: 404,
      body: { error: { code: 'conversation_not_found' } },
    })
    const events = await world.call<{ events: { type: string }[] }>(
      ana,
      'GET',
      `/api/conversations/${id}/events`,
    )
    expect(events.body.events.map((e) => e.type)).toEqual(['closed'])
  })

  it('without a ticket, files into a new closed one; the customer’s next message opens a new conversation', async () => {
    const { ana } = world
    const waId = newCustomer()
    const first = await world.customerSays(waId, 'First visit')
    const closed = await world.call<{ ticketId: string }>(
      ana,
      'POST',
      `/api/conversations/${first}/close`,
    )
    const { body } = await world.call<{ ticket: TicketDetail }>(
      ana,
      'GET',
      `/api/tickets/${closed.body.ticketId}`,
    )
    expect(body.ticket).toMatchObject({ status: 'closed', conversationId: first, filed: true })
    expect(body.ticket.messages.map((m) => m.text)).toContain('First visit')

    const second = await world.customerSays(waId, 'Back again')
    expect(second).not.toBe(first)
    const thread = await world.open(conversationDocName(second), ana)
    expect(readMeta(thread.doc)).toMatchObject({
      id: second,
      ticketId: null,
      contactId: body.ticket.contactId,
    })
    expect(readMessages(thread.doc).map((m) => m.text)).toEqual(['Back again'])
  })

  it('answers 404 for ids that are not conversations', async () => {
    const { ana } = world
    for (const id of ['nope', crypto.randomUUID()]) {
      const response = await world.call(ana, 'POST', `/api/conversations/${id}/close`)
      expect(response.status).toBe(404)
    }
  })
})

describe('what closing does to an open ticket, and who handled it', () => {
  /** Ana takes a customer's conversation, transfers it to Bob, then opens its ticket (hers). */
  async function takenTransferredTicketed() {
    const { ana, bob } = world
    const id = await world.customerSays(newCustomer(), 'Where is my parcel?')
    expect(
      (await world.call(ana, 'POST', `/api/conversations/${id}/assign`, { agentId: ana.id }))
        .status,
    ).toBe(200)
    expect(
      (await world.call(ana, 'POST', `/api/conversations/${id}/transfer`, { agentId: bob.id }))
        .status,
    ).toBe(200)
    const created = await world.call<{ ticket: TicketSummary }>(
      ana,
      'POST',
      `/api/conversations/${id}/ticket`,
    )
    expect(created.body.ticket).toMatchObject({ status: 'new', assigneeId: ana.id })
    return { id, ticketId: created.body.ticket.id }
  }

  const ticketOf = async (ticketId: string) =>
    (await world.call<{ ticket: TicketDetail }>(world.ana, 'GET', `/api/tickets/${ticketId}`)).body
      .ticket

  it('resolves the open ticket by default; the owner stays, the handler is who had the conversation', async () => {
    const { ana, bob } = world
    const { id, ticketId } = await takenTransferredTicketed()
    // While live, the handler is the conversation's assignee now.
    expect(await ticketOf(ticketId)).toMatchObject({ assigneeId: ana.id, handlerId: bob.id })

    const closed = await world.call(ana, 'POST', `/api/conversations/${id}/close`)
    expect(closed.status).toBe(200)
    const ticket = await ticketOf(ticketId)
    expect(ticket).toMatchObject({
      status: 'resolved',
      assigneeId: ana.id,
      handlerId: bob.id,
      filed: true,
    })
    expect(ticket.events.map((e) => [e.type, e.status])).toEqual([
      ['assigned', null],
      ['transferred', null],
      ['ticket_created', null],
      ['status_changed', 'resolved'],
      ['closed', null],
    ])
    // The ticket list says the same.
    const list = await world.call<{ tickets: TicketSummary[] }>(ana, 'GET', '/api/tickets')
    expect(list.body.tickets.find((t) => t.id === ticketId)).toMatchObject({
      status: 'resolved',
      handlerId: bob.id,
    })
  })

  it('keeps the ticket open for follow-up when asked to', async () => {
    const { ana, bob } = world
    const { id, ticketId } = await takenTransferredTicketed()
    const closed = await world.call(ana, 'POST', `/api/conversations/${id}/close`, {
      ticket: 'keep',
    })
    expect(closed.status).toBe(200)
    const ticket = await ticketOf(ticketId)
    expect(ticket).toMatchObject({ status: 'new', handlerId: bob.id, filed: true })
    expect(ticket.events.map((e) => e.type)).not.toContain('status_changed')
  })

  it('refuses any other choice with 400 and leaves the conversation open', async () => {
    const { ana } = world
    const { id, ticketId } = await takenTransferredTicketed()
    for (const body of [{ ticket: 'delete' }, { ticket: null }, { ticket: ['keep'] }]) {
      const refused = await world.call<{ error: { code: string; message: string } }>(
        ana,
        'POST',
        `/api/conversations/${id}/close`,
        body,
      )
      expect(refused.status).toBe(400)
      expect(refused.body.error).toMatchObject({
        code: 'invalid_body',
        message: expect.stringContaining("'resolve' or 'keep'"),
      })
    }
    expect(await ticketOf(ticketId)).toMatchObject({ status: 'new', filed: false })
  })
})
