import type { AgentId, ContactId, ConversationId, TicketId } from './ids.js'
import type { ConversationEventType, MessageKind } from './message.js'

/**
 * Tickets: the record of one conversation's service. A conversation has at most one ticket; when
 * the conversation is closed its whole history is filed into the ticket (a transcript that no
 * longer changes), and the ticket lives on with its own status.
 */
export const TICKET_STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const
export type TicketStatus = (typeof TICKET_STATUSES)[number]

export function isTicketStatus(value: unknown): value is TicketStatus {
  return typeof value === 'string' && (TICKET_STATUSES as readonly string[]).includes(value)
}

/** Statuses of a ticket whose service is not over: closing its conversation asks what becomes of it. */
export const OPEN_TICKET_STATUSES = [
  'new',
  'open',
  'pending',
] as const satisfies readonly TicketStatus[]

export function isOpenTicketStatus(status: TicketStatus): boolean {
  return (OPEN_TICKET_STATUSES as readonly string[]).includes(status)
}

/**
 * What closing a conversation does to its open ticket: `resolve` sets it to resolved (the
 * default), `keep` leaves it as it is, for a follow-up. A ticket opened only to file the history
 * is closed either way.
 */
export const CLOSE_TICKET_CHOICES = ['resolve', 'keep'] as const
export type CloseTicketChoice = (typeof CLOSE_TICKET_CHOICES)[number]
/** How urgent a ticket is, least first; new tickets are `normal`. */
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export type TicketPriority = (typeof TICKET_PRIORITIES)[number]
export const DEFAULT_TICKET_PRIORITY: TicketPriority = 'normal'

export function isTicketPriority(value: unknown): value is TicketPriority {
  return typeof value === 'string' && (TICKET_PRIORITIES as readonly string[]).includes(value)
}

/** A ticket's optional subject, in characters (after trimming). */
export const MAX_TICKET_SUBJECT = 120

/** How the ticket list can be ordered: newest created, latest updated, or most urgent first. */
export const TICKET_SORTS = ['created', 'updated', 'priority'] as const
export type TicketSort = (typeof TICKET_SORTS)[number]

export function isTicketSort(value: unknown): value is TicketSort {
  return typeof value === 'string' && (TICKET_SORTS as readonly string[]).includes(value)
}

/** The agent-given fields of a ticket: both optional when creating one. */
export interface TicketFields {
  /** Null (or absent) for none; an empty or blank string clears it. */
  subject?: string | null
  priority?: TicketPriority
}

export type TicketFieldsProblem =
  | { code: 'invalid_ticket_subject'; field: 'subject'; message: string }
  | { code: 'invalid_ticket_priority'; field: 'priority'; message: string }

/**
 * Checks the agent-given fields of a ticket (a request body, say) and normalises them: the subject
 * trimmed, blank read as none (null). Fields that are absent stay absent; anything else in `input`
 * is not looked at.
 */
export function parseTicketFields(
  input: Record<string, unknown>,
): { ok: true; fields: TicketFields } | ({ ok: false } & TicketFieldsProblem) {
  const fields: TicketFields = {}
  if (input.subject !== undefined) {
    if (input.subject !== null && typeof input.subject !== 'string') {
      return {
        ok: false,
        code: 'invalid_ticket_subject',
        field: 'subject',
        message: 'subject: must be a string or null',
      }
    }
    const subject = input.subject?.trim() ?? ''
    if ([...subject].length > MAX_TICKET_SUBJECT) {
      return {
        ok: false,
        code: 'invalid_ticket_subject',
        field: 'subject',
        message: `subject: must be at most ${MAX_TICKET_SUBJECT} characters`,
      }
    }
    fields.subject = subject === '' ? null : subject
  }
  if (input.priority !== undefined) {
    if (!isTicketPriority(input.priority)) {
      return {
        ok: false,
        code: 'invalid_ticket_priority',
        field: 'priority',
        message: `priority: must be one of ${TICKET_PRIORITIES.join(', ')}`,
      }
    }
    fields.priority = input.priority
  }
  return { ok: true, fields }
}

/** A ticket as lists show it. */
export interface TicketSummary {
  id: TicketId
  /** Human protocol number, `YYYYMMDD-NNNN` (the day it was created, then that day's sequence). */
  number: string
  status: TicketStatus
  /** The ticket's owner: who answers for it (the agent who opened it, unless given to another). */
  /** What it is about, in the agent's words; null when none was given. */
  subject: string | null
  priority: TicketPriority
  assigneeId: AgentId | null
  /**
   * Who handled the conversation: its assignee when it was closed (while it is live, its assignee
   * now, in `TicketDetail`). Null when nobody had it. Response-time reports credit this agent.
   */
  handlerId: AgentId | null
  conversationId: ConversationId
  contactId: ContactId
  contactName: string
  phone: string
  createdAt: number
  updatedAt: number
  /** When the conversation was closed and its history filed here; null while it is live. */
  filedAt: number | null
}

/** One message of a ticket's transcript (read-only); notes carry `internal: true`. */
export interface TicketMessage {
  id: string
  kind: MessageKind
  text: string
  authorId: string | null
  /** The author's name when the history was filed (agents may be renamed or removed later). */
  authorName: string | null
  createdAt: number
  /** Internal notes: never seen by the customer. */
  internal: boolean
  /** Everything else the message carried: media reference, event, template, delivery status… */
  [field: string]: unknown
}

/** Something that happened to a conversation or its ticket, as stored and returned by the API. */
export interface ConversationEvent {
  id: string
  conversationId: ConversationId
  ticketId: TicketId | null
  type: ConversationEventType
  /** Who did it (null for the system). */
  actorId: AgentId | null
  /** The agent it concerns: the new assignee of an assignment or transfer. */
  agentId: AgentId | null
  /** The new status of a status change. */
  status: string | null
  /** A readable summary, in English (the UI may word it from the fields instead). */
  text: string
  createdAt: number
}

/** A ticket with its transcript and events (`GET /api/tickets/:id`). */
export interface TicketDetail extends TicketSummary {
  /** False while the conversation is live (its messages are then read from the live doc). */
  filed: boolean
  messages: TicketMessage[]
  events: ConversationEvent[]
}

/** Formats a protocol number from the day (local calendar date) and that day's sequence. */
export function formatProtocolNumber(day: Date, sequence: number): string {
  const yyyy = String(day.getFullYear()).padStart(4, '0')
  const mm = String(day.getMonth() + 1).padStart(2, '0')
  const dd = String(day.getDate()).padStart(2, '0')
  return `${yyyy}${mm}${dd}-${String(sequence).padStart(4, '0')}`
}
