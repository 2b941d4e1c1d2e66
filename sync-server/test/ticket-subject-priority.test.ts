/**
 * A ticket's subject and priority: optional when it is created (no body creates it as before: no
 * subject, normal priority), checked (400 naming the field), changed with PATCH, and the list
 * filters on priority, searches the subject and sorts by created, updated or priority.
 */
import { MAX_TICKET_SUBJECT, type TicketSummary } from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newCustomer, startLifecycleWorld, type LifecycleWorld } from './helpers/lifecycle-world.js'
import type { Member } from './helpers/team.js'

let world: LifecycleWorld
beforeAll(async () => {
  world = await startLifecycleWorld()
})
afterAll(async () => {
  await world?.close()
})

type Page = { tickets: TicketSummary[]; nextCursor: string | null }
type Created = { status: number; body: { ticket: TicketSummary; error?: { code: string } } }

async function newTicket(who: Member, body?: unknown, name?: string): Promise<Created> {
  const id = await world.customerSays(newCustomer(), 'I need help', name)
  return world.call(who, 'POST', `/api/conversations/${id}/ticket`, body)
}

/** Every page of a listing, in order. */
async function allPages(who: Member, query: string): Promise<TicketSummary[]> {
  const found: TicketSummary[] = []
  let cursor: string | null = null
  do {
    const page: { status: number; body: Page } = await world.call<Page>(
      who,
      'GET',
      `/api/tickets?${query}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    )
    expect(page.status).toBe(200)
    found.push(...page.body.tickets)
    cursor = page.body.nextCursor
  } while (cursor)
  return found
}

describe('creating a ticket with a subject and a priority', () => {
  it('with no body: New, assigned to the caller, no subject, normal priority', async () => {
    const created = await newTicket(world.ana)
    expect(created.status).toBe(201)
    expect(created.body.ticket).toMatchObject({
      status: 'new',
      assigneeId: world.ana.id,
      subject: null,
      priority: 'normal',
    })
  })

  it('with both: kept (the subject trimmed), the rest as with no body', async () => {
    const created = await newTicket(world.bob, {
      subject: '  Refund for order 1234 ',
      priority: 'urgent',
    })
    expect(created.status).toBe(201)
    expect(created.body.ticket).toMatchObject({
      status: 'new',
      assigneeId: world.bob.id,
      subject: 'Refund for order 1234',
      priority: 'urgent',
    })
    const read = await world.call<{ ticket: TicketSummary }>(
      world.ana,
      'GET',
      `/api/tickets/${created.body.ticket.id}`,
    )
    expect(read.body.ticket).toMatchObject({ subject: 'Refund for order 1234', priority: 'urgent' })
  })

  it('refuses a bad subject or priority with a 400 naming it, and creates nothing', async () => {
    const id = await world.customerSays(newCustomer(), 'Bad values')
    const path = `/api/conversations/${id}/ticket`
    const cases: [unknown, string][] = [
      [{ priority: 'asap' }, 'invalid_ticket_priority'],
      [{ priority: null }, 'invalid_ticket_priority'],
      [{ subject: 'x'.repeat(MAX_TICKET_SUBJECT + 1) }, 'invalid_ticket_subject'],
      [{ subject: 42 }, 'invalid_ticket_subject'],
      [['subject'], 'invalid_body'],
    ]
    for (const [body, code] of cases) {
      const refused = await world.call<{ error: { code: string } }>(world.ana, 'POST', path, body)
      expect(refused, JSON.stringify(body)).toMatchObject({
        status: 400,
        body: { error: { code } },
      })
    }
    const notJson = await fetch(world.server.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.ana.token}`, 'content-type': 'application/json' },
      body: '{subject',
    })
    expect(notJson.status).toBe(400)
    expect((await world.call(world.ana, 'GET', path)).status).toBe(404)

    // Exactly the longest subject is fine, counted in characters.
    const longest = 'é'.repeat(MAX_TICKET_SUBJECT)
    const created = await world.call<{ ticket: TicketSummary }>(world.ana, 'POST', path, {
      subject: longest,
    })
    expect(created).toMatchObject({ status: 201, body: { ticket: { subject: longest } } })
  })
})

describe('changing them, and the list', () => {
  it('PATCH changes the subject and priority; a blank subject clears it; bad values are refused', async () => {
    const { body } = await newTicket(world.ana, { subject: 'Old subject' })
    const path = `/api/tickets/${body.ticket.id}`
    const patched = await world.call<{ ticket: TicketSummary }>(world.bob, 'PATCH', path, {
      subject: 'New subject',
      priority: 'high',
    })
    expect(patched.body.ticket).toMatchObject({ subject: 'New subject', priority: 'high' })
    expect(patched.body.ticket.updatedAt).toBeGreaterThanOrEqual(body.ticket.updatedAt)
    const cleared = await world.call<{ ticket: TicketSummary }>(world.bob, 'PATCH', path, {
      subject: '   ',
    })
    expect(cleared.body, JSON.stringify(cleared)).toMatchObject({
      ticket: { subject: null, priority: 'high' },
    })
    const bad = await world.call<{ error: { code: string } }>(world.bob, 'PATCH', path, {
      priority: 'soon',
    })
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_ticket_priority' } } })
    const after = await world.call<{ ticket: TicketSummary }>(world.bob, 'GET', path)
    expect(after.body.ticket.priority).toBe('high')
  })

  it('filters by priority, finds the subject, and sorts by priority, created or updated', async () => {
    const { ana } = world
    const low = (await newTicket(ana, { priority: 'low', subject: 'Sorting low' })).body.ticket
    const urgent = (await newTicket(ana, { priority: 'urgent', subject: 'Sorting urgent' })).body
      .ticket
    const high = (await newTicket(ana, { priority: 'high', subject: 'Sorting high' })).body.ticket
    const urgentToo = (await newTicket(ana, { priority: 'urgent', subject: 'Sorting urgent 2' }))
      .body.ticket
    const ours = new Set([low.id, urgent.id, high.id, urgentToo.id])
    const only = (tickets: TicketSummary[]) =>
      tickets.filter((t) => ours.has(t.id)).map((t) => t.id)

    const urgents = await world.call<Page>(ana, 'GET', '/api/tickets?priority=urgent')
    expect(urgents.body.tickets.every((t) => t.priority === 'urgent')).toBe(true)
    expect(only(urgents.body.tickets)).toEqual([urgentToo.id, urgent.id])

    const bySubject = await world.call<Page>(ana, 'GET', '/api/tickets?q=sorting%20high')
    expect(bySubject.body.tickets.map((t) => t.id)).toEqual([high.id])

    // Most urgent first, newest first among equals; paged through without a gap or a repeat.
    const newest = (a: TicketSummary, b: TicketSummary) =>
      b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)
    const byPriority = await allPages(ana, 'sort=priority&q=Sorting')
    expect(byPriority.map((t) => t.id)).toEqual([
      ...[urgent, urgentToo].sort(newest).map((t) => t.id),
      high.id,
      low.id,
    ])
    const byCreated = await allPages(ana, 'sort=created&q=Sorting')
    expect(byCreated.map((t) => t.id)).toEqual(
      [low, urgent, high, urgentToo].sort(newest).map((t) => t.id),
    )

    // Touching the oldest puts it first by updated, and nowhere else.
    await world.call(ana, 'PATCH', `/api/tickets/${low.id}`, { status: 'open' })
    const byUpdated = await allPages(ana, 'sort=updated&q=Sorting')
    expect(byUpdated[0]!.id).toBe(low.id)
    expect((await allPages(ana, 'q=Sorting')).map((t) => t.id)).toEqual(byCreated.map((t) => t.id))

    const created = await world.call<Page>(ana, 'GET', '/api/tickets?sort=created&limit=1')
    for (const bad of [
      'priority=asap',
      'sort=oldest',
      // A cursor of one order is not one of another's.
      `sort=priority&cursor=${encodeURIComponent(created.body.nextCursor!)}`,
    ]) {
      expect((await world.call(ana, 'GET', `/api/tickets?${bad}`)).status, bad).toBe(400)
    }
  })
})
