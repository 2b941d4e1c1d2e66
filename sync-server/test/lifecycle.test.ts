/**
 * Assign, transfer and delete over HTTP. The assignee changes in the conversation's meta and its
 * inbox card, an event is stored and shown live in the thread, the new assignee is notified.
 * Deleting is for admins and the assignee; it removes the conversation and its history for good.
 */
import {
  conversationDocName,
  readMessages,
  readMeta,
  type ConversationEvent,
  type EventMessage,
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
import type { Member } from './helpers/team.js'

let world: LifecycleWorld
beforeAll(async () => {
  world = await startLifecycleWorld()
})
afterAll(async () => {
  await world?.close()
})

interface Notification {
  kind: string
  conversationId: string
  actorId: string | null
  messageId: string | null
}
const notificationsOf = async (who: Member) =>
  (await world.call<{ notifications: Notification[] }>(who, 'GET', '/api/notifications')).body
    .notifications
const eventMessages = (doc: Parameters<typeof readMessages>[0]) =>
  readMessages(doc).filter((m): m is EventMessage => m.kind === 'event')

describe('assign and transfer', () => {
  it('assign: meta, inbox card, a live event in the assigner’s name, and a notification', async () => {
    const { ana, bob } = world
    const id = await world.customerSays(newCustomer(), 'Who will help me?')
    const thread = await world.open(conversationDocName(id), bob)

    const assigned = await world.call<{ assigneeId: string; event: ConversationEvent }>(
      ana,
      'POST',
      `/api/conversations/${id}/assign`,
      { agentId: bob.id },
    )
    expect(assigned).toMatchObject({
      status: 200,
      body: { assigneeId: bob.id, event: { type: 'assigned' } },
    })
    await waitForDoc(
      thread.doc,
      (doc) => readMeta(doc).assigneeId === bob.id && eventMessages(doc).length === 1,
    )
    expect(eventMessages(thread.doc)[0]).toMatchObject({
      id: assigned.body.event.id,
      authorId: ana.id,
      text: 'Ana Souza assigned the conversation to Bob Lima',
      event: { type: 'assigned', agentId: bob.id },
    })
    await eventually(
      () => world.card(id),
      (card) => card?.assigneeId === bob.id,
    )
    expect(world.card(id)?.assigneeId).toBe(bob.id)
    expect(await notificationsOf(bob)).toContainEqual(
      expect.objectContaining({
        kind: 'assigned',
        conversationId: id,
        actorId: ana.id,
        messageId: assigned.body.event.id,
      }),
    )

    // The same assignee again: nothing recorded.
    const again = await world.call<{ event: unknown }>(
      ana,
      'POST',
      `/api/conversations/${id}/assign`,
      { agentId: bob.id },
    )
    expect(again.body.event).toBeNull()
    const events = await world.call<{ events: ConversationEvent[] }>(
      ana,
      'GET',
      `/api/conversations/${id}/events`,
    )
    expect(events.body.events.map((e) => e.type)).toEqual(['assigned'])
  })

  it('transfer: to another agent, notified as a transfer; unassign notifies nobody', async () => {
    const { ana, bob, admin } = world
    const id = await world.customerSays(newCustomer(), 'Transfer me')
    await world.call(bob, 'POST', `/api/conversations/${id}/assign`, { agentId: bob.id })
    const thread = await world.open(conversationDocName(id), ana)

    const transferred = await world.call<{ assigneeId: string }>(
      bob,
      'POST',
      `/api/conversations/${id}/transfer`,
      {
        agentId: ana.id,
      },
    )
    expect(transferred).toMatchObject({ status: 200, body: { assigneeId: ana.id } })
    await waitForDoc(thread.doc, (doc) => readMeta(doc).assigneeId === ana.id)
    expect(eventMessages(thread.doc).map((e) => [e.event.type, e.text])).toEqual([
      ['assigned', 'Bob Lima took the conversation'],
      ['transferred', 'Bob Lima transferred the conversation to Ana Souza'],
    ])
    const forAna = await eventually(
      () => notificationsOf(ana),
      (list) => list.some((n) => n.conversationId === id),
    )
    expect(forAna.filter((n) => n.conversationId === id)).toEqual([
      expect.objectContaining({ kind: 'transfer', actorId: bob.id }),
    ])
    // Bob took it himself: no notification for his own action.
    expect((await notificationsOf(bob)).some((n) => n.conversationId === id)).toBe(false)

    const before = (await notificationsOf(admin)).length
    const unassigned = await world.call<{ assigneeId: null }>(
      ana,
      'POST',
      `/api/conversations/${id}/assign`,
      { agentId: null },
    )
    expect(unassigned.body.assigneeId).toBeNull()
    await waitForDoc(thread.doc, (doc) => readMeta(doc).assigneeId === null)
    expect(eventMessages(thread.doc).at(-1)?.event).toEqual({ type: 'unassigned', agentId: null })
    expect(await notificationsOf(admin)).toHaveLength(before)
  })

  it('refuses bad bodies, unknown and deactivated agents, and unknown conversations', async () => {
    const { ana, admin } = world
    const id = await world.customerSays(newCustomer(), 'Validation')
    const path = `/api/conversations/${id}`
    expect((await world.call(ana, 'POST', `${path}/transfer`, { agentId: null })).status).toBe(400)
    expect((await world.call(ana, 'POST', `${path}/assign`, { agentId: 'bob' })).status).toBe(400)
    expect((await world.call(ana, 'POST', `${path}/assign`, {})).status).toBe(400)
    const unknown = await world.call<{ error: { code: string } }>(ana, 'POST', `${path}/assign`, {
      agentId: crypto.randomUUID(),
    })
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'agent_not_found' } } })
    const created = await world.call<{ agent: { id: string } }>(admin, 'POST', '/api/agents', {
      name: 'Gone Agent',
      email: 'gone@test.local',
      password: 'correct horse battery',
      role: 'agent',
    })
    await world.call(admin, 'PATCH', `/api/agents/${created.body.agent.id}`, { active: false })
    expect(
      (await world.call(ana, 'POST', `${path}/transfer`, { agentId: created.body.agent.id }))
        .status,
    ).toBe(404)
    const nowhere = `/api/conversations/${crypto.randomUUID()}`
    expect((await world.call(ana, 'POST', `${nowhere}/assign`, { agentId: ana.id })).status).toBe(
      404,
    )
    expect((await world.call(ana, 'GET', `${nowhere}/events`)).status).toBe(404)
  })
})

describe('DELETE /api/conversations/:id', () => {
  it('only an admin or the assignee may delete', async () => {
    const { ana, bob, admin } = world
    const id = await world.customerSays(newCustomer(), 'Delete me maybe')
    await world.call(ana, 'POST', `/api/conversations/${id}/assign`, { agentId: bob.id })
    const refused = await world.call<{ error: { code: string } }>(
      ana,
      'DELETE',
      `/api/conversations/${id}`,
    )
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } })
    expect((await world.call(bob, 'DELETE', `/api/conversations/${id}`)).status).toBe(200)

    const unassigned = await world.call<{ conversation: { id: string } }>(
      ana,
      'POST',
      '/api/conversations',
      {
        phone: `+${newCustomer()}`,
      },
    )
    const other = unassigned.body.conversation.id
    await world.call(ana, 'POST', `/api/conversations/${other}/assign`, { agentId: null })
    expect((await world.call(ana, 'DELETE', `/api/conversations/${other}`)).status).toBe(403)
    expect((await world.call(admin, 'DELETE', `/api/conversations/${other}`)).status).toBe(200)
  })

  it('removes the conversation and its history for good; the next message opens a new one', async () => {
    const { ana } = world
    const waId = newCustomer()
    const id = await world.customerSays(waId, 'Please forget me')
    await world.call(ana, 'POST', `/api/conversations/${id}/assign`, { agentId: ana.id })
    const ticket = await world.call<{ ticket: TicketSummary }>(
      ana,
      'POST',
      `/api/conversations/${id}/ticket`,
    )
    await world.write(id, ana, 'note', 'private stuff')
    const connected = await world.open(conversationDocName(id), ana)
    const inbox = await world.inbox()

    const deleted = await world.call(ana, 'DELETE', `/api/conversations/${id}`)
    expect(deleted).toMatchObject({
      status: 200,
      body: { deleted: true, ticketId: ticket.body.ticket.id },
    })
    expect((await connected.closed).code).toBe(4410)
    await waitForDoc(inbox.doc, () => world.card(id) === undefined)
    expect((await world.openRaw(conversationDocName(id), ana).closed).code).toBe(4404)
    expect((await world.call(ana, 'GET', `/api/conversations/${id}/events`)).status).toBe(404)
    expect((await world.call(ana, 'GET', `/api/tickets/${ticket.body.ticket.id}`)).status).toBe(404)
    const list = await world.call<{ tickets: TicketSummary[] }>(
      ana,
      'GET',
      `/api/tickets?q=${ticket.body.ticket.number}`,
    )
    expect(list.body.tickets).toEqual([])
    expect((await world.call(ana, 'DELETE', `/api/conversations/${id}`)).status).toBe(404)

    const next = await world.customerSays(waId, 'Hello again')
    expect(next).not.toBe(id)
    const thread = await world.open(conversationDocName(next), ana)
    expect(readMessages(thread.doc).map((m) => m.text)).toEqual(['Hello again'])
  })
})
