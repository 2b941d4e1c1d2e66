/**
 * Conversation events (assigned, transferred, ticket created, status changed, closed…): the
 * stored record the right column and tickets read. The live conversation doc gets the same event
 * as an `event` message (lifecycle/events.ts); this table is what outlives the doc.
 */
import type {
  AgentId,
  ConversationEvent,
  ConversationEventType,
  ConversationId,
  TicketId,
} from '@atende/shared'
import type { Db } from './db.js'

interface EventRow {
  id: string
  conversation_id: string
  ticket_id: string | null
  type: string
  actor_id: string | null
  agent_id: string | null
  status: string | null
  text: string
  created_at: number
}

export const toEvent = (row: EventRow): ConversationEvent => ({
  id: row.id,
  conversationId: row.conversation_id as ConversationId,
  ticketId: row.ticket_id as TicketId | null,
  type: row.type as ConversationEventType,
  actorId: row.actor_id as AgentId | null,
  agentId: row.agent_id as AgentId | null,
  status: row.status,
  text: row.text,
  createdAt: row.created_at,
})

export interface EventStore {
  insert(event: ConversationEvent): void
  /** A conversation's events, oldest first. */
  forConversation(conversationId: string): ConversationEvent[]
  /** A ticket's events, oldest first. */
  forTicket(ticketId: string): ConversationEvent[]
  /** Links the conversation's events not yet tied to a ticket to this one. */
  attachToTicket(conversationId: string, ticketId: string): void
  /** Deletes every event of the conversation (the conversation is deleted for good). */
  removeConversation(conversationId: string): void
}

export function createEventStore(db: Db): EventStore {
  const insert = db.prepare(
    `INSERT INTO conversation_events
       (id, conversation_id, ticket_id, type, actor_id, agent_id, status, text, created_at)
     VALUES (@id, @conversationId, @ticketId, @type, @actorId, @agentId, @status, @text, @createdAt)`,
  )
  const byConversation = db.prepare<[string], EventRow>(
    'SELECT * FROM conversation_events WHERE conversation_id = ? ORDER BY created_at, rowid',
  )
  const byTicket = db.prepare<[string], EventRow>(
    'SELECT * FROM conversation_events WHERE ticket_id = ? ORDER BY created_at, rowid',
  )
  const attach = db.prepare<[string, string]>(
    'UPDATE conversation_events SET ticket_id = ? WHERE conversation_id = ? AND ticket_id IS NULL',
  )
  const remove = db.prepare<[string]>('DELETE FROM conversation_events WHERE conversation_id = ?')
  return {
    insert: (event) => void insert.run(event),
    forConversation: (conversationId) => byConversation.all(conversationId).map(toEvent),
    forTicket: (ticketId) => byTicket.all(ticketId).map(toEvent),
    attachToTicket: (conversationId, ticketId) => void attach.run(ticketId, conversationId),
    removeConversation: (conversationId) => void remove.run(conversationId),
  }
}
