/**
 * Tickets from the agent's side: create one for a live conversation (at most one each), read one
 * with its transcript, change its status or assignee. Every change is an event.
 */
import {
  ORIGIN,
  readMeta,
  writeMeta,
  type Actor,
  type TicketDetail,
  type TicketFields,
  type TicketStatus,
  type TicketSummary,
} from '@atende/shared'
import { toTicketMessage } from '../store/transcripts.js'
import { assignConversation, requireActiveAgent } from './assign.js'
import { authorNames, fileMessages } from './close.js'
import {
  agentName,
  appendEvent,
  docIfLive,
  LifecycleError,
  liveConversation,
  newEvent,
  type LifecycleDeps,
} from './events.js'

/**
 * Opens the conversation's ticket: status `new`, assigned to the caller, with the next protocol
 * number, and the subject and priority given (none and `normal` by default). A conversation that
 * has one already answers it as it is (`created: false`), and a doc that missed it (a crash
 * between the row and the doc write) learns it then.
 */
export function createTicket(
  deps: LifecycleDeps,
  conversationId: string,
  actor: Actor,
  fields: TicketFields = {},
  now = Date.now(),
): { ticket: TicketSummary; created: boolean } {
  const { conversation, shared } = liveConversation(deps, conversationId)
  const existing = deps.tickets.forConversation(conversationId)
  if (existing) {
    if (readMeta(shared.doc).ticketId !== existing.id) {
      shared.transact(
        (doc) => writeMeta(doc, { ticketId: existing.id }, ORIGIN.server),
        ORIGIN.server,
      )
    }
    return { ticket: existing, created: false }
  }
  const { ticket, event } = deps.db.transaction(() => {
    const ticket = deps.tickets.create({
      conversationId,
      contactId: conversation.contactId,
      status: 'new',
      assigneeId: actor.id,
      createdBy: actor.id,
      ...fields,
      now,
    })
    // Earlier events of the conversation (assignments) belong to the ticket from now on.
    deps.events.attachToTicket(conversationId, ticket.id)
    const event = newEvent({
      conversationId,
      ticketId: ticket.id,
      type: 'ticket_created',
      actorId: actor.id,
      text: `${agentName(deps, actor.id)} created ticket #${ticket.number}`,
      now,
    })
    deps.events.insert(event)
    return { ticket, event }
  })()
  appendEvent(shared, event, (doc) => writeMeta(doc, { ticketId: ticket.id }, ORIGIN.server))
  deps.log.info('ticket created', { ticketId: ticket.id, conversationId, by: actor.id })
  return { ticket, created: true }
}

function requireTicket(deps: LifecycleDeps, ticketId: string): TicketSummary {
  const ticket = deps.tickets.get(ticketId)
  if (!ticket) throw new LifecycleError('ticket_not_found', 'There is no such ticket')
  return ticket
}

/**
 * The ticket with its transcript and events. Once filed the transcript is read from the ticket;
 * while the conversation is live, from its doc (what the thread shows now), and so is its handler.
 */
export function ticketDetail(deps: LifecycleDeps, ticketId: string): TicketDetail {
  const ticket = requireTicket(deps, ticketId)
  const shared = ticket.filedAt === null ? docIfLive(deps, ticket.conversationId) : null
  const messages = shared
    ? fileMessages(shared.doc, authorNames(deps, deps.contacts.get(ticket.contactId))).map(
        toTicketMessage,
      )
    : deps.transcripts.messages(ticket.id)
  return {
    ...ticket,
    // Live: whoever has the conversation now is handling it (recorded on the ticket at close).
    handlerId: shared ? (readMeta(shared.doc).assigneeId ?? null) : ticket.handlerId,
    filed: ticket.filedAt !== null,
    messages,
    events: deps.events.forTicket(ticket.id),
  }
}

export interface TicketChanges extends TicketFields {
  status?: TicketStatus
  assigneeId?: string | null
}

/**
 * Changes a ticket's status, assignee, subject and/or priority (any signed-in agent), one event
 * per status or assignee change (subject and priority are the ticket's own description: no
 * event). While the conversation is live, a new assignee is the conversation's too (see
 * `assignConversation`).
 */
export function updateTicket(
  deps: LifecycleDeps,
  ticketId: string,
  changes: TicketChanges,
  actor: Actor,
  now = Date.now(),
): TicketSummary {
  const ticket = requireTicket(deps, ticketId)
  const { assigneeId, status, subject, priority } = changes
  if (assigneeId !== undefined && assigneeId !== null) requireActiveAgent(deps, assigneeId)

  const described = {
    subject: subject !== undefined && subject !== ticket.subject ? subject : undefined,
    priority: priority !== undefined && priority !== ticket.priority ? priority : undefined,
  }
  if (described.subject !== undefined || described.priority !== undefined) {
    deps.tickets.update(ticket.id, described, now)
  }

  if (status !== undefined && status !== ticket.status) {
    const event = newEvent({
      conversationId: ticket.conversationId,
      ticketId: ticket.id,
      type: 'status_changed',
      actorId: actor.id,
      status,
      text: `${agentName(deps, actor.id)} set ticket #${ticket.number} to ${status}`,
      now,
    })
    deps.db.transaction(() => {
      deps.tickets.update(ticket.id, { status }, now)
      deps.events.insert(event)
    })()
    appendEvent(docIfLive(deps, ticket.conversationId), event)
  }

  if (assigneeId !== undefined && assigneeId !== ticket.assigneeId) {
    if (ticket.filedAt === null && docIfLive(deps, ticket.conversationId)) {
      assignConversation(deps, ticket.conversationId, assigneeId, actor, 'assign', now)
    } else {
      // A filed ticket: no conversation to assign (nor to link a notification to).
      const who = agentName(deps, actor.id)
      const event = newEvent({
        conversationId: ticket.conversationId,
        ticketId: ticket.id,
        type: assigneeId === null ? 'unassigned' : 'assigned',
        actorId: actor.id,
        agentId: assigneeId,
        text:
          assigneeId === null
            ? `${who} unassigned ticket #${ticket.number}`
            : `${who} assigned ticket #${ticket.number} to ${agentName(deps, assigneeId)}`,
        now,
      })
      deps.db.transaction(() => {
        deps.tickets.update(ticket.id, { assigneeId }, now)
        deps.events.insert(event)
      })()
    }
  }
  return requireTicket(deps, ticket.id)
}
