/**
 * Tickets: rows, protocol numbers, the filtered list (keyset-paged) and a contact's history.
 * Transcripts (filing a conversation's messages, deleting one for good) are in transcripts.ts.
 */
import {
  DEFAULT_TICKET_PRIORITY,
  formatProtocolNumber,
  newId,
  type AgentId,
  type ContactId,
  type ConversationId,
  type ConversationStatus,
  type TicketFields,
  type TicketId,
  type TicketPriority,
  type TicketStatus,
  type TicketSummary,
} from '@atende/shared'
import type { Db } from './db.js'
import { encodeTicketCursor, ticketListQuery, type TicketFilter } from './ticket-list.js'

export { encodeTicketCursor, parseTicketCursor, type TicketFilter } from './ticket-list.js'

interface TicketRow {
  id: string
  number: string
  conversation_id: string
  contact_id: string
  status: TicketStatus
  subject: string | null
  priority: TicketPriority
  assignee_id: string | null
  handler_id: string | null
  created_at: number
  updated_at: number
  filed_at: number | null
  contact_name: string | null
  contact_phone: string | null
}

const toTicket = (row: TicketRow): TicketSummary => ({
  id: row.id as TicketId,
  number: row.number,
  status: row.status,
  subject: row.subject,
  priority: row.priority,
  assigneeId: row.assignee_id as AgentId | null,
  handlerId: row.handler_id as AgentId | null,
  conversationId: row.conversation_id as ConversationId,
  contactId: row.contact_id as ContactId,
  contactName: row.contact_name ?? '',
  phone: row.contact_phone ?? '',
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  filedAt: row.filed_at,
})

const SELECT = `SELECT t.*, c.name AS contact_name, c.phone AS contact_phone
  FROM tickets t LEFT JOIN contacts c ON c.id = t.contact_id`

export interface NewTicket {
  conversationId: string
  contactId: string
  status: TicketStatus
  assigneeId: string | null
  createdBy: string | null
  /** None by default. */
  subject?: string | null
  /** `normal` by default. */
  priority?: TicketPriority
  now: number
}

/** What `update` may change; absent fields stay as they are. */
export interface TicketUpdate extends TicketFields {
  status?: TicketStatus
  assigneeId?: string | null
}

/** A conversation of a contact, with its ticket if it has one (the right column's history). */
export interface ContactConversation {
  id: ConversationId
  status: ConversationStatus
  createdAt: number
  ticketId: TicketId | null
  ticketNumber: string | null
}

export interface TicketStore {
  get(id: string): TicketSummary | undefined
  forConversation(conversationId: string): TicketSummary | undefined
  /** Inserts a ticket with the next protocol number of its day. */
  create(input: NewTicket): TicketSummary
  /** Changes the given fields (and `updated_at`) in one transaction. */
  update(id: string, changes: TicketUpdate, now: number): void
  /** In the filter's order (newest first by default), `limit` at a time after `cursor`. */
  list(filter: TicketFilter): { tickets: TicketSummary[]; nextCursor: string | null }
  /** The contact's latest tickets and conversations, newest first. */
  forContact(contactId: string, limit: number): TicketSummary[]
  conversationsOf(contactId: string, limit: number): ContactConversation[]
}

export function createTicketStore(db: Db): TicketStore {
  const byId = db.prepare<[string], TicketRow>(`${SELECT} WHERE t.id = ?`)
  const byConversation = db.prepare<[string], TicketRow>(`${SELECT} WHERE t.conversation_id = ?`)
  const nextNumber = db.prepare<[string], { last: number }>(
    `INSERT INTO ticket_numbers (day, last) VALUES (?, 1)
     ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last`,
  )
  const insert = db.prepare(
    `INSERT INTO tickets (id, number, conversation_id, contact_id, status, assignee_id, created_by,
       subject, priority, created_at, updated_at)
     VALUES (@id, @number, @conversationId, @contactId, @status, @assigneeId, @createdBy,
       @subject, @priority, @now, @now)`,
  )
  const setStatus = db.prepare('UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?')
  const setAssignee = db.prepare('UPDATE tickets SET assignee_id = ?, updated_at = ? WHERE id = ?')
  const setSubject = db.prepare('UPDATE tickets SET subject = ?, updated_at = ? WHERE id = ?')
  const setPriority = db.prepare('UPDATE tickets SET priority = ?, updated_at = ? WHERE id = ?')
  const ofContact = db.prepare<[string, number], TicketRow>(
    `${SELECT} WHERE t.contact_id = ? ORDER BY t.created_at DESC, t.id DESC LIMIT ?`,
  )
  const conversations = db.prepare<[string, number], ContactConversation>(
    `SELECT v.id, v.status, v.created_at AS createdAt, t.id AS ticketId, t.number AS ticketNumber
     FROM conversations v LEFT JOIN tickets t ON t.conversation_id = v.id
     WHERE v.contact_id = ? ORDER BY v.created_at DESC, v.id DESC LIMIT ?`,
  )
  // One prepared statement per filter shape (a few dozen at most), so each can use its index.
  const listings = new Map<string, ReturnType<typeof db.prepare<unknown[], TicketRow>>>()

  const create = db.transaction((input: NewTicket): TicketSummary => {
    const day = new Date(input.now)
    const key = formatProtocolNumber(day, 0).slice(0, 8)
    const sequence = nextNumber.get(key)!.last
    const id = newId()
    insert.run({
      subject: null,
      priority: DEFAULT_TICKET_PRIORITY,
      ...input,
      id,
      number: formatProtocolNumber(day, sequence),
    })
    return toTicket(byId.get(id)!)
  })

  return {
    get: (id) => {
      const row = byId.get(id)
      return row && toTicket(row)
    },
    forConversation: (conversationId) => {
      const row = byConversation.get(conversationId)
      return row && toTicket(row)
    },
    create,
    update: db.transaction((id: string, changes: TicketUpdate, now: number) => {
      if (changes.status !== undefined) setStatus.run(changes.status, now, id)
      if (changes.assigneeId !== undefined) setAssignee.run(changes.assigneeId, now, id)
      if (changes.subject !== undefined) setSubject.run(changes.subject, now, id)
      if (changes.priority !== undefined) setPriority.run(changes.priority, now, id)
    }),
    list(filter) {
      const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200)
      const { clauses, params } = ticketListQuery(filter)
      const sql = `${SELECT} ${clauses} LIMIT ?`
      let statement = listings.get(sql)
      if (!statement) listings.set(sql, (statement = db.prepare<unknown[], TicketRow>(sql)))
      const rows = statement.all(...params, limit + 1)
      const tickets = rows.slice(0, limit).map(toTicket)
      const last = tickets[tickets.length - 1]
      const more = rows.length > limit && last
      return { tickets, nextCursor: more ? encodeTicketCursor(last, filter.sort) : null }
    },
    forContact: (contactId, limit) => ofContact.all(contactId, limit).map(toTicket),
    conversationsOf: (contactId, limit) => conversations.all(contactId, limit),
  }
}
