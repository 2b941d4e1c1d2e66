/**
 * Tickets over HTTP: create (one per conversation), the protocol number sent to the customer
 * through the normal client path and the outbound sender, the list with filters and keyset pages,
 * the transcript, status and assignee changes with their events shown live in the thread.
 */
import {
  appendMessage,
  conversationDocName,
  newId,
  readMessages,
  readMeta,
  type AgentId,
  type EventMessage,
  type MessageId,
  type TicketDetail,
  type TicketSummary,
} from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitForDoc } from './helpers/clients.js'
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

type Page = { tickets: TicketSummary[]; nextCursor: string | null }
const events = (messages: ReturnType<typeof readMessages>) =>
  messages.filter((m): m is EventMessage => m.kind === 'event')

describe('POST /api/conversations/:id/ticket', () => {
  it('creates a New ticket assigned to the caller; a second call answers the same one', async () => {
    const { ana, bob } = world
    const id = await world.customerSays(newCustomer(), 'I need an invoice')
    const thread = await world.open(conversationDocName(id), bob)

    const first = await world.call<{ ticket: TicketSummary }>(
      ana,
      'POST',
      `/api/conversations/${id}/ticket`,
    )
    expect(first.status).toBe(201)
    expect(first.body.ticket).toMatchObject({
      id: expect.any(String),
      number: expect.stringMatching(/^\d{8}-\d{4,}$/),
      status: 'new',
      assigneeId: ana.id,
      conversationId: id,
      contactId: expect.any(String),
    })
    const ticket = first.body.ticket

    // The thread learns it live: meta.ticketId and an event message in Ana's name.
    await waitForDoc(thread.doc, (doc) => readMeta(doc).ticketId === ticket.id)
    const [created] = events(readMessages(thread.doc))
    expect(created).toMatchObject({
      authorId: ana.id,
      event: { type: 'ticket_created', ticketId: ticket.id },
      text: `Ana Souza created ticket #${ticket.number}`,
    })

    const second = await world.call<{ ticket: TicketSummary }>(
      bob,
      'POST',
      `/api/conversations/${id}/ticket`,
    )
    expect(second.status).toBe(200)
    expect(second.body.ticket).toMatchObject({
      id: ticket.id,
      number: ticket.number,
      assigneeId: ana.id,
    })
    expect(events(readMessages(thread.doc))).toHaveLength(1)
    const byConversation = await world.call<{ ticket: TicketSummary }>(
      bob,
      'GET',
      `/api/conversations/${id}/ticket`,
    )
    expect(byConversation.body.ticket.id).toBe(ticket.id)

    // It is in the list, status New, assigned to Ana.
    const mine = await world.call<Page>(ana, 'GET', '/api/tickets?assignee=me&status=new')
    expect(mine.body.tickets.map((t) => t.id)).toContain(ticket.id)
    expect(mine.body.tickets.find((t) => t.id === ticket.id)).toMatchObject({
      status: 'new',
      assigneeId: ana.id,
      contactName: 'Maria Customer',
    })
  })

  it('its protocol number reaches the customer: an agent message through the outbound sender', async () => {
    const { ana, meta } = world
    const waId = newCustomer()
    const id = await world.customerSays(waId, 'Please give me a protocol')
    const { body } = await world.call<{ ticket: TicketSummary }>(
      ana,
      'POST',
      `/api/conversations/${id}/ticket`,
    )
    // What the "Send protocol number" button does: appendMessage on the doc, as the agent.
    const client = await world.open(conversationDocName(id), ana)
    const text = `Your protocol number is #${body.ticket.number}`
    appendMessage(
      client.doc,
      {
        id: newId<MessageId>(),
        kind: 'agent',
        authorId: ana.id as AgentId,
        text,
        createdAt: Date.now(),
      },
      'local',
    )
    const sent = await eventually(
      () => meta.sends.find((send) => send.to === waId),
      (send) => send !== undefined,
    )
    expect(sent?.body).toMatchObject({ type: 'text', text: { body: text } })
  })

  it('answers 404 for a conversation that does not exist', async () => {
    const response = await world.call(
      world.ana,
      'POST',
      `/api/conversations/${crypto.randomUUID()}/ticket`,
    )
    expect(response.status).toBe(404)
  })
})

describe('GET /api/tickets', () => {
  it('filters by status, assignee and text, and pages with a keyset cursor', async () => {
    const { ana, bob } = world
    const made: TicketSummary[] = []
    for (let i = 0; i < 5; i++) {
      const id = await world.customerSays(newCustomer(), `Listing ${i}`, `Lister ${i}`)
      const who = i % 2 === 0 ? bob : ana
      made.push(
        (
          await world.call<{ ticket: TicketSummary }>(
            who,
            'POST',
            `/api/conversations/${id}/ticket`,
          )
        ).body.ticket,
      )
    }
    const all = await world.call<Page>(ana, 'GET', '/api/tickets?limit=200')
    const ids = all.body.tickets.map((t) => t.id)
    expect(made.map((t) => ids.indexOf(t.id))).toEqual(
      [...made.map((t) => ids.indexOf(t.id))].sort((a, b) => b - a),
    )

    const pages: string[] = []
    let cursor: string | null = null
    do {
      const query: string = `/api/tickets?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
      const page: { body: Page } = await world.call<Page>(ana, 'GET', query)
      expect(page.body.tickets.length).toBeLessThanOrEqual(2)
      pages.push(...page.body.tickets.map((t) => t.id))
      cursor = page.body.nextCursor
    } while (cursor)
    expect(pages).toEqual(ids)

    const bobs = await world.call<Page>(ana, 'GET', `/api/tickets?assignee=${bob.id}`)
    expect(bobs.body.tickets.every((t) => t.assigneeId === bob.id)).toBe(true)
    expect(bobs.body.tickets.map((t) => t.id)).toEqual(
      expect.arrayContaining([made[0]!.id, made[2]!.id]),
    )
    const byName = await world.call<Page>(ana, 'GET', '/api/tickets?q=lister%203')
    expect(byName.body.tickets.map((t) => t.id)).toEqual([made[3]!.id])
    const byNumber = await world.call<Page>(ana, 'GET', `/api/tickets?q=${made[1]!.number}`)
    expect(byNumber.body.tickets.map((t) => t.id)).toEqual([made[1]!.id])
    const none = await world.call<Page>(ana, 'GET', '/api/tickets?assignee=none')
    expect(none.body.tickets).toEqual([])

    for (const bad of ['status=done', 'assignee=someone', 'cursor=xyz', 'limit=0']) {
      expect((await world.call(ana, 'GET', `/api/tickets?${bad}`)).status).toBe(400)
    }
  })
})

describe('GET and PATCH /api/tickets/:id', () => {
  it('walks the statuses, an event each, shown live in the thread; the transcript marks notes internal', async () => {
    const { ana, bob } = world
    const id = await world.customerSays(newCustomer(), 'Status walk')
    const { body } = await world.call<{ ticket: TicketSummary }>(
      ana,
      'POST',
      `/api/conversations/${id}/ticket`,
    )
    const ticketId = body.ticket.id
    await world.write(id, ana, 'note', 'Check the warehouse')
    const thread = await world.open(conversationDocName(id), bob)

    for (const status of ['open', 'pending', 'resolved', 'closed', 'new'] as const) {
      const patched = await world.call<{ ticket: TicketSummary }>(
        bob,
        'PATCH',
        `/api/tickets/${ticketId}`,
        { status },
      )
      expect(patched).toMatchObject({ status: 200, body: { ticket: { status } } })
    }
    await waitForDoc(thread.doc, (doc) => events(readMessages(doc)).length === 6)
    expect(
      events(readMessages(thread.doc))
        .slice(1)
        .map((e) => [e.authorId, e.event.type, e.event.status]),
    ).toEqual(
      ['open', 'pending', 'resolved', 'closed', 'new'].map((s) => [bob.id, 'status_changed', s]),
    )

    const detail = await world.call<{ ticket: TicketDetail }>(
      ana,
      'GET',
      `/api/tickets/${ticketId}`,
    )
    expect(detail.body.ticket.filed).toBe(false)
    expect(detail.body.ticket.events.map((e) => e.type)).toEqual([
      'ticket_created',
      ...Array(5).fill('status_changed'),
    ])
    expect(detail.body.ticket.messages.find((m) => m.kind === 'note')).toMatchObject({
      text: 'Check the warehouse',
      internal: true,
      authorName: 'Ana Souza',
    })
    expect(detail.body.ticket.messages[0]).toMatchObject({
      kind: 'customer',
      internal: false,
      authorName: 'Maria Customer',
    })

    // The same status again is no change (no event); nonsense is refused.
    await world.call(bob, 'PATCH', `/api/tickets/${ticketId}`, { status: 'new' })
    const after = await world.call<{ ticket: TicketDetail }>(ana, 'GET', `/api/tickets/${ticketId}`)
    expect(after.body.ticket.events).toHaveLength(6)
    expect(
      (await world.call(bob, 'PATCH', `/api/tickets/${ticketId}`, { status: 'done' })).status,
    ).toBe(400)
    expect((await world.call(bob, 'PATCH', `/api/tickets/${ticketId}`, {})).status).toBe(400)
    expect(
      (await world.call(bob, 'PATCH', `/api/tickets/${crypto.randomUUID()}`, { status: 'open' }))
        .status,
    ).toBe(404)
    expect((await world.call(bob, 'GET', '/api/tickets/not-a-ticket')).status).toBe(404)
  })

  it('a new assignee on a live ticket is the conversation’s too, and is notified', async () => {
    const { ana, bob } = world
    const id = await world.customerSays(newCustomer(), 'Reassign me')
    const { body } = await world.call<{ ticket: TicketSummary }>(
      ana,
      'POST',
      `/api/conversations/${id}/ticket`,
    )
    const thread = await world.open(conversationDocName(id), ana)
    const patched = await world.call<{ ticket: TicketSummary }>(
      ana,
      'PATCH',
      `/api/tickets/${body.ticket.id}`,
      { assigneeId: bob.id },
    )
    expect(patched.body.ticket.assigneeId).toBe(bob.id)
    await waitForDoc(thread.doc, (doc) => readMeta(doc).assigneeId === bob.id)
    await eventually(
      () => world.card(id),
      (card) => card?.assigneeId === bob.id,
    )
    expect(world.card(id)?.assigneeId).toBe(bob.id)
    const notes = await world.call<{ notifications: { kind: string; conversationId: string }[] }>(
      bob,
      'GET',
      '/api/notifications',
    )
    expect(notes.body.notifications).toContainEqual(
      expect.objectContaining({ kind: 'assigned', conversationId: id }),
    )

    // After the conversation is closed (the ticket kept open), it still takes a new assignee and
    // status (an event each, no doc).
    await world.call(ana, 'POST', `/api/conversations/${id}/close`, { ticket: 'keep' })
    const later = await world.call<{ ticket: TicketSummary }>(
      ana,
      'PATCH',
      `/api/tickets/${body.ticket.id}`,
      { assigneeId: null, status: 'resolved' },
    )
    expect(later.body, JSON.stringify(later.body)).toMatchObject({
      ticket: { assigneeId: null, status: 'resolved' },
    })
    const detail = await world.call<{ ticket: TicketDetail }>(
      ana,
      'GET',
      `/api/tickets/${body.ticket.id}`,
    )
    expect(detail.body.ticket.events.map((e) => e.type)).toEqual([
      'ticket_created',
      'assigned',
      'closed',
      'status_changed',
      'unassigned',
    ])
    expect(
      (
        await world.call(ana, 'PATCH', `/api/tickets/${body.ticket.id}`, {
          assigneeId: crypto.randomUUID(),
        })
      ).status,
    ).toBe(404)
  })
})
