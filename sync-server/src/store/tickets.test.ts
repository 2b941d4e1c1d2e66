import fc from 'fast-check'
import { newId, TICKET_STATUSES, type TicketStatus } from '@atende/shared'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from './db.js'
import { createTicketStore } from './tickets.js'

const db = openDatabase(':memory:')
const tickets = createTicketStore(db)
afterAll(() => db.close())

function reset(): void {
  db.exec('DELETE FROM tickets; DELETE FROM ticket_numbers; DELETE FROM contacts')
}

describe('protocol numbers', () => {
  it('count up per day and start again the next day', () => {
    reset()
    const day = new Date(2026, 10, 26, 9).getTime()
    const make = (now: number) =>
      tickets.create({
        conversationId: newId(),
        contactId: newId(),
        status: 'new',
        assigneeId: null,
        createdBy: null,
        now,
      })
    expect(make(day).number).toBe('20261126-0001')
    expect(make(day + 3_600_000).number).toBe('20261126-0002')
    expect(make(day + 86_400_000).number).toBe('20261127-0001')
  })

  it('never repeat (unique), even past 9999 a day', () => {
    reset()
    const now = new Date(2026, 0, 2).getTime()
    db.prepare('INSERT INTO ticket_numbers (day, last) VALUES (?, 9999)').run('20260102')
    const ticket = tickets.create({
      conversationId: newId(),
      contactId: newId(),
      status: 'new',
      assigneeId: null,
      createdBy: null,
      now,
    })
    expect(ticket.number).toBe('20260102-10000')
  })
})

describe('the ticket list', () => {
  it('pages through every matching ticket exactly once, newest first (property)', () => {
    const agents = [newId(), newId()]
    const ticketSpec = fc.record({
      at: fc.integer({ min: 1, max: 20 }), // few distinct times: plenty of ties
      status: fc.constantFrom(...TICKET_STATUSES),
      assignee: fc.constantFrom(null, ...agents),
    })
    fc.assert(
      fc.property(
        fc.array(ticketSpec, { maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.option(fc.constantFrom(...TICKET_STATUSES), { nil: undefined }),
        fc.constantFrom<(string | null | undefined)[]>(undefined, null, ...agents),
        (specs, limit, status: TicketStatus | undefined, assigneeId) => {
          reset()
          for (const spec of specs) {
            const t = tickets.create({
              conversationId: newId(),
              contactId: newId(),
              status: spec.status,
              assigneeId: spec.assignee,
              createdBy: null,
              now: Date.UTC(2026, 0, 1) + spec.at,
            })
            expect(t.status).toBe(spec.status)
          }
          const expected = tickets.list({ status, assigneeId, limit: 200 }).tickets.map((t) => t.id)
          const seen: string[] = []
          let cursor: string | null = null
          for (let page = 0; page < 100; page++) {
            const result = tickets.list({ status, assigneeId, limit, cursor })
            expect(result.tickets.length).toBeLessThanOrEqual(limit)
            seen.push(...result.tickets.map((t) => t.id))
            cursor = result.nextCursor
            if (!cursor) break
          }
          expect(seen).toEqual(expected)
          const all = tickets.list({ limit: 200 }).tickets
          const matching = all.filter(
            (t) =>
              (status === undefined || t.status === status) &&
              (assigneeId === undefined || t.assigneeId === assigneeId),
          )
          expect(seen).toEqual(matching.map((t) => t.id))
          for (let i = 1; i < all.length; i++) {
            const [a, b] = [all[i - 1]!, all[i]!]
            expect(a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id)).toBe(
              true,
            )
          }
        },
      ),
      { numRuns: 60 },
    )
  })

  it('finds tickets by number and by the contact’s name, phone or email, LIKE characters literal', () => {
    reset()
    const contact = newId()
    db.prepare(
      `INSERT INTO contacts (id, wa_id, name, phone, email, created_at, updated_at)
       VALUES (?, '5511987654321', 'Maria 100% Silva', '+5511987654321', 'maria@example.com', 0, 0)`,
    ).run(contact)
    const mine = tickets.create({
      conversationId: newId(),
      contactId: contact,
      status: 'open',
      assigneeId: null,
      createdBy: null,
      now: Date.now(),
    })
    tickets.create({
      conversationId: newId(),
      contactId: newId(),
      status: 'open',
      assigneeId: null,
      createdBy: null,
      now: Date.now(),
    })
    for (const q of ['maria', '100%', '98765', 'example.com', mine.number]) {
      expect(tickets.list({ q }).tickets.map((t) => t.id)).toEqual([mine.id])
    }
    expect(tickets.list({ q: '_' }).tickets).toEqual([])
    expect(tickets.list({ q: 'nobody' }).tickets).toEqual([])
  })
})
