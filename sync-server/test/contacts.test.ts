/**
 * Contacts over HTTP: enter one by number (E.164), search, edit name, email and notes (a new name
 * shows at once in the live conversation and its inbox card), and read one with its history.
 */
import { conversationDocName, readMeta, type TicketSummary } from '@atende/shared'
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

interface Contact {
  id: string
  name: string
  phone: string
  email: string | null
  notes: string | null
}
interface Detail {
  contact: Contact
  conversations: {
    id: string
    status: string
    ticketId: string | null
    ticketNumber: string | null
  }[]
  tickets: TicketSummary[]
}

describe('POST /api/contacts', () => {
  it('takes an E.164 number, refuses anything else and a number already known', async () => {
    const { ana } = world
    for (const phone of ['5511987654321', '+0511987654321', '+55 11 98765', '+1', 42]) {
      const refused = await world.call<{ error: { code: string; message: string } }>(
        ana,
        'POST',
        '/api/contacts',
        { phone },
      )
      expect(refused.status).toBe(400)
      expect(refused.body.error.message).toMatch(/^phone: /)
    }
    expect(
      (await world.call(ana, 'POST', '/api/contacts', { phone: '+5511955550000', email: 'nope' }))
        .status,
    ).toBe(400)

    const created = await world.call<{ contact: Contact }>(ana, 'POST', '/api/contacts', {
      phone: '+5511955550000',
      name: 'João Pereira',
      email: 'joao@example.com',
      notes: 'Prefers email',
    })
    expect(created).toMatchObject({
      status: 201,
      body: {
        contact: {
          name: 'João Pereira',
          phone: '+5511955550000',
          email: 'joao@example.com',
          notes: 'Prefers email',
        },
      },
    })
    const duplicate = await world.call<{ error: { code: string } }>(ana, 'POST', '/api/contacts', {
      phone: '+5511955550000',
    })
    expect(duplicate).toMatchObject({ status: 409, body: { error: { code: 'contact_exists' } } })

    const numberOnly = await world.call<{ contact: Contact }>(ana, 'POST', '/api/contacts', {
      phone: '+14155550100',
    })
    expect(numberOnly.body.contact).toMatchObject({
      name: '+14155550100',
      email: null,
      notes: null,
    })
  })
})

describe('GET /api/contacts', () => {
  it('finds contacts by name, phone or email', async () => {
    const { ana } = world
    await world.call(ana, 'POST', '/api/contacts', {
      phone: '+5521966660000',
      name: 'Zélia Gomes',
      email: 'zelia@shop.example',
    })
    for (const q of ['zélia', '21966660000', 'shop.example']) {
      const found = await world.call<{ contacts: Contact[] }>(
        ana,
        'GET',
        `/api/contacts?q=${encodeURIComponent(q)}`,
      )
      expect(found.body.contacts.map((c) => c.name)).toEqual(['Zélia Gomes'])
    }
    const all = await world.call<{ contacts: Contact[] }>(ana, 'GET', '/api/contacts')
    expect(all.body.contacts.length).toBeGreaterThan(1)
  })
})

describe('PATCH and GET /api/contacts/:id', () => {
  it('a new name shows in the live conversation and its card; email and notes are kept', async () => {
    const { ana, bob } = world
    const waId = newCustomer()
    const id = await world.customerSays(waId, 'Hi, I am Maria', 'maria_wpp')
    const thread = await world.open(conversationDocName(id), bob)
    const contactId = readMeta(thread.doc).contactId!

    const patched = await world.call<{ contact: Contact }>(
      ana,
      'PATCH',
      `/api/contacts/${contactId}`,
      {
        name: 'Maria da Silva',
        email: 'maria@example.com',
        notes: 'VIP since 2020',
      },
    )
    expect(patched.body.contact).toMatchObject({
      name: 'Maria da Silva',
      email: 'maria@example.com',
      notes: 'VIP since 2020',
    })
    await waitForDoc(thread.doc, (doc) => readMeta(doc).contactName === 'Maria da Silva')
    await eventually(
      () => world.card(id),
      (card) => card?.contactName === 'Maria da Silva',
    )
    expect(world.card(id)?.contactName).toBe('Maria da Silva')

    // Clearing the email; a bad one is refused; at least one field is required.
    const cleared = await world.call<{ contact: Contact }>(
      ana,
      'PATCH',
      `/api/contacts/${contactId}`,
      { email: null },
    )
    expect(cleared.body.contact).toMatchObject({
      email: null,
      notes: 'VIP since 2020',
      name: 'Maria da Silva',
    })
    expect(
      (await world.call(ana, 'PATCH', `/api/contacts/${contactId}`, { email: 'not-an-email' }))
        .status,
    ).toBe(400)
    expect((await world.call(ana, 'PATCH', `/api/contacts/${contactId}`, {})).status).toBe(400)
    expect(
      (await world.call(ana, 'PATCH', `/api/contacts/${contactId}`, { name: '  ' })).status,
    ).toBe(400)
    expect(
      (await world.call(ana, 'PATCH', `/api/contacts/${crypto.randomUUID()}`, { name: 'X' }))
        .status,
    ).toBe(404)
  })

  it('shows the last conversations and tickets', async () => {
    const { ana } = world
    const waId = newCustomer()
    const first = await world.customerSays(waId, 'First')
    const closed = await world.call<{ ticketId: string; ticketNumber: string }>(
      ana,
      'POST',
      `/api/conversations/${first}/close`,
    )
    const second = await world.customerSays(waId, 'Second')
    const thread = await world.open(conversationDocName(second), ana)
    const contactId = readMeta(thread.doc).contactId!

    const detail = await world.call<Detail>(ana, 'GET', `/api/contacts/${contactId}`)
    expect(detail.status).toBe(200)
    expect(detail.body.contact.phone).toBe(`+${waId}`)
    expect(detail.body.conversations).toEqual([
      expect.objectContaining({ id: second, status: 'open', ticketId: null }),
      expect.objectContaining({
        id: first,
        status: 'closed',
        ticketId: closed.body.ticketId,
        ticketNumber: closed.body.ticketNumber,
      }),
    ])
    expect(detail.body.tickets.map((t) => t.id)).toEqual([closed.body.ticketId])
    expect((await world.call(ana, 'GET', `/api/contacts/${crypto.randomUUID()}`)).status).toBe(404)
    expect((await world.call(ana, 'GET', '/api/contacts/not-an-id')).status).toBe(404)
  })
})
