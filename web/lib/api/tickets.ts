import type {
  CloseTicketChoice,
  ConversationEvent,
  TicketDetail,
  TicketFields,
  TicketPriority,
  TicketSort,
  TicketStatus,
  TicketSummary,
} from '@atende/shared'
import { apiError, callApi, readJson, request, type Fetch } from './http'

/**
 * The lifecycle API: tickets, close, delete, assign and transfer. These are server actions (the
 * server is the authority on a conversation's life); the doc shows their outcome live.
 */

const conversation = (id: string) => `/api/conversations/${encodeURIComponent(id)}`

/**
 * POST /api/conversations/:id/ticket: the conversation's ticket, created (with the subject and
 * priority given, if any) when it had none.
 */
export async function postTicket(
  fetchFn: Fetch,
  conversationId: string,
  fields: TicketFields = {},
): Promise<TicketSummary> {
  const body = await callApi<{ ticket: TicketSummary }>(
    fetchFn,
    `${conversation(conversationId)}/ticket`,
    { method: 'POST', json: fields },
  )
  return body.ticket
}

/** GET /api/conversations/:id/ticket, or null when the conversation has none. */
export async function getConversationTicket(
  fetchFn: Fetch,
  conversationId: string,
): Promise<TicketSummary | null> {
  const response = await request(fetchFn, `${conversation(conversationId)}/ticket`)
  if (response.status === 404) return null
  if (!response.ok) throw await apiError(response)
  return (await readJson<{ ticket: TicketSummary }>(response))?.ticket ?? null
}

/** POST /api/conversations/:id/close: an open ticket is resolved, or kept open (`keep`). */
export function postClose(
  fetchFn: Fetch,
  conversationId: string,
  ticket: CloseTicketChoice = 'resolve',
): Promise<{ ticketId: string; ticketNumber: string }> {
  return callApi(fetchFn, `${conversation(conversationId)}/close`, {
    method: 'POST',
    json: { ticket },
  })
}

export async function deleteConversation(fetchFn: Fetch, conversationId: string): Promise<void> {
  await callApi(fetchFn, conversation(conversationId), { method: 'DELETE' })
}

export async function postAssign(
  fetchFn: Fetch,
  conversationId: string,
  agentId: string | null,
  mode: 'assign' | 'transfer',
): Promise<void> {
  await callApi(fetchFn, `${conversation(conversationId)}/${mode}`, {
    method: 'POST',
    json: { agentId },
  })
}

export async function getConversationEvents(
  fetchFn: Fetch,
  conversationId: string,
): Promise<ConversationEvent[]> {
  return (
    await callApi<{ events: ConversationEvent[] }>(
      fetchFn,
      `${conversation(conversationId)}/events`,
    )
  ).events
}

/** What PATCH /api/tickets/:id may change. */
export interface TicketChanges extends TicketFields {
  status?: TicketStatus
  assigneeId?: string | null
}

export interface TicketQuery {
  status?: TicketStatus | ''
  priority?: TicketPriority | ''
  /** 'me', 'none', an agent id, or '' for anyone. */
  assignee?: string
  /** Only closed conversations' tickets (true), only live ones' (false), or both. */
  filed?: boolean
  q?: string
  sort?: TicketSort
  cursor?: string | null
  limit?: number
}

export interface TicketPage {
  tickets: TicketSummary[]
  nextCursor: string | null
}

export function getTickets(fetchFn: Fetch, query: TicketQuery = {}): Promise<TicketPage> {
  const params = new URLSearchParams()
  if (query.status) params.set('status', query.status)
  if (query.priority) params.set('priority', query.priority)
  if (query.assignee) params.set('assignee', query.assignee)
  if (query.filed !== undefined) params.set('filed', String(query.filed))
  if (query.q?.trim()) params.set('q', query.q.trim())
  if (query.sort && query.sort !== 'created') params.set('sort', query.sort)
  if (query.cursor) params.set('cursor', query.cursor)
  if (query.limit) params.set('limit', String(query.limit))
  return callApi(fetchFn, `/api/tickets?${params}`)
}

/** GET /api/tickets/:id, or null when there is no such ticket. */
export async function getTicket(fetchFn: Fetch, id: string): Promise<TicketDetail | null> {
  const response = await request(fetchFn, `/api/tickets/${encodeURIComponent(id)}`)
  if (response.status === 404) return null
  if (!response.ok) throw await apiError(response)
  return (await readJson<{ ticket: TicketDetail }>(response))?.ticket ?? null
}

export async function patchTicket(
  fetchFn: Fetch,
  id: string,
  changes: TicketChanges,
): Promise<TicketSummary> {
  const body = await callApi<{ ticket: TicketSummary }>(
    fetchFn,
    `/api/tickets/${encodeURIComponent(id)}`,
    {
      method: 'PATCH',
      json: changes,
    },
  )
  return body.ticket
}
