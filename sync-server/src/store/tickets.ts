/**
 * Tickets: rows, protocol numbers, the filtered list (keyset-paged) and a contact's history.
 * Transcripts (filing a conversation's messages, deleting one for good) are in transcripts.ts.
 */
import {
  formatProtocolNumber,
  newId,
  type AgentId,
  type ContactId,
  type ConversationId,
  type ConversationStatus,
  type TicketId,
  type TicketStatus,
  type TicketSummary,
} from '@atende/shared'
import type { Db } from './db.js'

interface TicketRow {
  id: string
  number: string
  conversation_id: string
  contact_id: string
  status: TicketStatus
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
  now: number
}

export interface TicketFilter {
  status?: TicketStatus
  /** An agent id, `null` for unassigned tickets, absent for any. */
  assigneeId?: string | null
  /** Matches the protocol number, the contact's name, phone or email. */
  q?: string
  /** From a previous page's `nextCursor`. */
  cursor?: string | null
  limit?: number
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
  update(
    id: string,
    changes: { status?: TicketStatus; assigneeId?: string | null },
    now: number,
  ): void
  /** Newest first, `limit` at a time after `cursor`. */
  list(filter: TicketFilter): { tickets: TicketSummary[]; nextCursor: string | null }
  /** The contact's latest tickets and conversations, newest first. */
  forContact(contactId: string, limit: number): TicketSummary[]
  conversationsOf(contactId: string, limit: number): ContactConversation[]
}

/** Keyset cursor: `<createdAt>_<id>` of a page's last ticket. */
export function encodeTicketCursor(ticket: Pick<TicketSummary, 'createdAt' | 'id'>): string {
  return `${ticket.createdAt}_${ticket.id}`
}

/** The cursor's position, or null for a string that is not one of ours. */
export function parseTicketCursor(cursor: string): { createdAt: number; id: string } | null {
  const match = /^(\d{1,15})_([0-9a-f-]{36})$/.exec(cursor)
  return match ? { createdAt: Number(match[1]), id: match[2]! } : null
}

/** `q` as a LIKE pattern matching it anywhere, with LIKE's wildcards escaped. */
function containing(q: string): string {
  return `%${q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
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
       created_at, updated_at)
     VALUES (@id, @number, @conversationId, @contactId, @status, @assigneeId, @createdBy, @now, @now)`,
  )
  const setStatus = db.prepare('UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?')
  const setAssignee = db.prepare('UPDATE tickets SET assignee_id = ?, updated_at = ? WHERE id = ?')
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
    insert.run({ ...input, id, number: formatProtocolNumber(day, sequence) })
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
    update: db.transaction(
      (id: string, changes: { status?: TicketStatus; assigneeId?: string | null }, now: number) => {
        if (changes.status !== undefined) setStatus.run(changes.status, now, id)
        if (changes.assigneeId !== undefined) setAssignee.run(changes.assigneeId, now, id)
      },
    ),
    list(filter) {
      const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200)
      const where: string[] = []
      const params: unknown[] = []
      if (filter.status) {
        where.push('t.status = ?')
        params.push(filter.status)
      }
      if (filter.assigneeId === null) where.push('t.assignee_id IS NULL')
      else if (filter.assigneeId !== undefined) {
        where.push('t.assignee_id = ?')
        params.push(filter.assigneeId)
      }
      const q = filter.q?.trim()
      if (q) {
        where.push(
          `(t.number LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\' OR c.phone LIKE ? ESCAPE '\\'
            OR c.email LIKE ? ESCAPE '\\')`,
        )
        const pattern = containing(q)
        params.push(pattern, pattern, pattern, pattern)
      }
      const after = filter.cursor ? parseTicketCursor(filter.cursor) : null
      if (after) {
        where.push('(t.created_at < ? OR (t.created_at = ? AND t.id < ?))')
        params.push(after.createdAt, after.createdAt, after.id)
      }
      const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY t.created_at DESC, t.id DESC LIMIT ?`
      let statement = listings.get(sql)
      if (!statement) listings.set(sql, (statement = db.prepare<unknown[], TicketRow>(sql)))
      const rows = statement.all(...params, limit + 1)
      const tickets = rows.slice(0, limit).map(toTicket)
      const last = tickets[tickets.length - 1]
      return { tickets, nextCursor: rows.length > limit && last ? encodeTicketCursor(last) : null }
    },
    forContact: (contactId, limit) => ofContact.all(contactId, limit).map(toTicket),
    conversationsOf: (contactId, limit) => conversations.all(contactId, limit),
  }
}
