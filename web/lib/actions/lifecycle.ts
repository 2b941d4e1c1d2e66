import {
  appendMessage,
  clientMessageProblem,
  conversationDocName,
  newId,
  ORIGIN,
  type Actor,
  type AgentMessage,
  type CloseTicketChoice,
  type MessageId,
  type TicketDetail,
  type TicketFields,
  type TicketSummary,
} from '@atende/shared'
import {
  deleteConversation as deleteOnServer,
  getConversationTicket,
  getTicket,
  getTickets,
  patchTicket,
  postAssign,
  postClose,
  postTicket,
  type TicketChanges,
  type TicketPage,
  type TicketQuery,
} from '$lib/api/tickets'
import { acquireDoc } from '$lib/sync/doc-pool'

/**
 * A conversation's life, one function per intent. Creating a ticket, closing, deleting, assigning
 * and transferring are server actions (HTTP): the server changes the docs and every open thread
 * sees it. Sending the protocol number is an ordinary reply, written to the doc like any other, so
 * it goes out through the server's outbound sender.
 */

/** Opens the conversation's ticket, with an optional subject and priority (or answers the one it has). */
export function createTicket(
  conversationId: string,
  fields: TicketFields = {},
): Promise<TicketSummary> {
  return postTicket(fetch, conversationId, fields)
}

/**
 * The tickets of the contacts' closed conversations matching a search (name, phone, subject),
 * most recently updated first: what the inbox shows below the live conversations it found.
 */
export async function searchClosed(q: string, limit = 20): Promise<TicketSummary[]> {
  return (await getTickets(fetch, { q, filed: true, sort: 'updated', limit })).tickets
}

/** The conversation's ticket, or null while it has none. */
export function conversationTicket(conversationId: string): Promise<TicketSummary | null> {
  return getConversationTicket(fetch, conversationId)
}

/** A page of the ticket list (newest first); pass the previous page's `nextCursor` for more. */
export function loadTickets(
  query: TicketQuery,
  fetchFn: typeof fetch = fetch,
): Promise<TicketPage> {
  return getTickets(fetchFn, query)
}

/** One ticket with its transcript and events, or null when there is none. */
export function loadTicket(
  id: string,
  fetchFn: typeof fetch = fetch,
): Promise<TicketDetail | null> {
  return getTicket(fetchFn, id)
}

/** The local copy of the conversation is not loaded yet: nothing was written. */
export class ConversationNotReady extends Error {
  readonly code = 'conversation_not_ready'
}

/**
 * Sends the ticket's protocol number to the customer: an agent message appended to the
 * conversation doc (`text` is the sentence in the agent's language, e.g. "Your protocol number is
 * #20261126-0001"). Works offline like any reply; the server sends it once it has it.
 */
export function sendProtocolNumber(
  conversationId: string,
  author: Actor,
  text: string,
): AgentMessage {
  const lease = acquireDoc(conversationDocName(conversationId))
  try {
    // Appending to a doc that has not loaded its messages would put the reply before them.
    if (!lease.sync.localLoaded && !lease.sync.serverSynced) throw new ConversationNotReady()
    const message: AgentMessage = {
      id: newId<MessageId>(),
      kind: 'agent',
      authorId: author.id,
      text,
      createdAt: Date.now(),
    }
    const problem = clientMessageProblem(message, author, Date.now())
    if (problem) throw new Error(problem)
    appendMessage(lease.doc, message, ORIGIN.local)
    lease.sync.markPending([message.id])
    return message
  } finally {
    lease.release()
  }
}

/**
 * Files the conversation's history into its ticket (an open one resolved, unless `keep`); the
 * conversation leaves the inbox.
 */
export function closeConversation(
  conversationId: string,
  ticket: CloseTicketChoice = 'resolve',
): Promise<{ ticketId: string; ticketNumber: string }> {
  return postClose(fetch, conversationId, ticket)
}

/** Deletes the conversation and its history for good (admins and the assignee only). */
export function deleteConversation(conversationId: string): Promise<void> {
  return deleteOnServer(fetch, conversationId)
}

/** Assigns the conversation to an agent, or to nobody. */
export function assignConversation(conversationId: string, agentId: string | null): Promise<void> {
  return postAssign(fetch, conversationId, agentId, 'assign')
}

/** Hands the conversation over to another agent, who is notified. */
export function transferConversation(conversationId: string, agentId: string): Promise<void> {
  return postAssign(fetch, conversationId, agentId, 'transfer')
}

/** Changes a ticket's status or assignee (one event each). */
export function changeTicket(ticketId: string, changes: TicketChanges): Promise<TicketSummary> {
  return patchTicket(fetch, ticketId, changes)
}
