/**
 * Finding closed work: `GET /api/tickets?filed=true&q=` lists the tickets of closed conversations
 * by the contact's name, phone or the subject, for any signed-in agent (as the ticket routes are),
 * and not the live ones, which the inbox shows itself.
 */
import type { TicketSummary } from '@atende/shared'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { newCustomer, startLifecycleWorld, type LifecycleWorld } from './helpers/lifecycle-world.js'

let world: LifecycleWorld
beforeAll(async () => {
  world = await startLifecycleWorld()
})
afterAll(async () => {
  await world?.close()
})

type Page = { tickets: TicketSummary[]; nextCursor: string | null }

it('finds a closed conversation’s ticket by name, phone or subject; not a live one', async () => {
  const { ana, bob } = world
  const waId = newCustomer()
  const closedId = await world.customerSays(waId, 'My order never came', 'Emily Clarke')
  await world.call(ana, 'POST', `/api/conversations/${closedId}/ticket`, {
    subject: 'Missing parcel',
  })
  const closed = await world.call<{ ticketId: string }>(
    ana,
    'POST',
    `/api/conversations/${closedId}/close`,
  )
  expect(closed.status).toBe(200)
  // Another customer of the same name is still talking: live, so not among the closed results.
  await world.customerSays(newCustomer(), 'Hello again', 'Emily Stone')
  const liveId = await world.customerSays(newCustomer(), 'Still here', 'Emily Rose')
  await world.call(ana, 'POST', `/api/conversations/${liveId}/ticket`)

  for (const q of ['emily', waId.slice(-6), 'missing parcel']) {
    // Bob did not work on it: every agent can find it.
    const found = await world.call<Page>(
      bob,
      'GET',
      `/api/tickets?filed=true&q=${encodeURIComponent(q)}`,
    )
    expect(found.status).toBe(200)
    expect(
      found.body.tickets.map((t) => t.id),
      q,
    ).toEqual([closed.body.ticketId])
    expect(found.body.tickets[0]).toMatchObject({
      contactName: 'Emily Clarke',
      subject: 'Missing parcel',
      // Closing with no choice resolves the open ticket as it files the conversation.
      status: 'resolved',
      filedAt: expect.any(Number),
    })
  }

  const live = await world.call<Page>(bob, 'GET', '/api/tickets?filed=false&q=emily')
  expect(live.body.tickets.map((t) => t.contactName)).toEqual(['Emily Rose'])
  expect((await world.call(bob, 'GET', '/api/tickets?filed=maybe')).status).toBe(400)
  const signedOut = await fetch(`${world.server.url}/api/tickets?filed=true&q=emily`)
  expect(signedOut.status).toBe(401)
})
