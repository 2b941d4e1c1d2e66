/**
 * What every lifecycle action shares: its dependencies, its typed errors, and events. An event is
 * stored (`conversation_events`, which outlives the conversation doc) and, while the conversation
 * is live, appended to its doc as an `event` message written by the server in the acting agent's
 * name, so every open thread shows it at once.
 */
import {
  appendMessage,
  conversationDocName,
  newId,
  ORIGIN,
  type AgentId,
  type ConversationEvent,
  type ConversationEventType,
  type ConversationId,
  type EventMessage,
  type MessageId,
  type TicketId,
} from '@atende/shared'
import type * as Y from 'yjs'
import type { Logger } from '../log.js'
import { createAccounts, type Accounts } from '../store/accounts.js'
import { createContactStore, type ContactStore } from '../store/contacts.js'
import {
  createConversationStore,
  type ConversationRow,
  type ConversationStore,
} from '../store/conversations.js'
import type { Db } from '../store/db.js'
import { createEventStore, type EventStore } from '../store/events.js'
import { createTicketStore, type TicketStore } from '../store/tickets.js'
import { createTranscriptStore, type TranscriptStore } from '../store/transcripts.js'
import { UnknownDocument, type DocManager } from '../sync/docs.js'
import type { SharedDoc } from '../sync/shared-doc.js'

export type LifecycleErrorCode =
  | 'conversation_not_found'
  | 'ticket_not_found'
  | 'agent_not_found'
  | 'contact_not_found'
  | 'contact_exists'
  | 'forbidden'

/** A lifecycle action refused; the HTTP layer maps `code` to a status. */
export class LifecycleError extends Error {
  constructor(
    readonly code: LifecycleErrorCode,
    message: string,
  ) {
    super(message)
  }
}

export interface LifecycleDeps {
  db: Db
  docs: DocManager
  conversations: ConversationStore
  contacts: ContactStore
  tickets: TicketStore
  transcripts: TranscriptStore
  events: EventStore
  accounts: Pick<Accounts, 'get'>
  log: Logger
}

export function createLifecycleDeps(options: {
  db: Db
  docs: DocManager
  log: Logger
}): LifecycleDeps {
  const { db } = options
  const tickets = createTicketStore(db)
  const events = createEventStore(db)
  return {
    ...options,
    conversations: createConversationStore(db),
    contacts: createContactStore(db),
    tickets,
    events,
    transcripts: createTranscriptStore(db, tickets, events),
    accounts: createAccounts(db),
  }
}

/** The live conversation and its loaded document, or `conversation_not_found`. */
export function liveConversation(
  deps: Pick<LifecycleDeps, 'docs' | 'conversations'>,
  conversationId: string,
): { conversation: ConversationRow; shared: SharedDoc } {
  const conversation = deps.conversations.get(conversationId)
  if (conversation && conversation.status !== 'closed') {
    try {
      return { conversation, shared: deps.docs.get(conversationDocName(conversationId)) }
    } catch (err) {
      if (!(err instanceof UnknownDocument)) throw err
    }
  }
  throw new LifecycleError('conversation_not_found', 'There is no such open conversation')
}

/** An agent's name for event summaries ("An agent" once they are gone). */
export function agentName(deps: Pick<LifecycleDeps, 'accounts'>, id: string | null): string {
  return (id && deps.accounts.get(id)?.name) || 'An agent'
}

export interface EventInput {
  conversationId: string
  ticketId?: string | null
  type: ConversationEventType
  actorId: string | null
  agentId?: string | null
  status?: string | null
  text: string
  now?: number
}

export function newEvent(input: EventInput): ConversationEvent {
  return {
    id: newId(),
    conversationId: input.conversationId as ConversationId,
    ticketId: (input.ticketId ?? null) as TicketId | null,
    type: input.type,
    actorId: input.actorId as AgentId | null,
    agentId: (input.agentId ?? null) as AgentId | null,
    status: input.status ?? null,
    text: input.text,
    createdAt: input.now ?? Date.now(),
  }
}

/** The event as a message of the conversation doc (same id as the stored event). */
export function eventMessage(event: ConversationEvent): EventMessage {
  const detail: EventMessage['event'] = { type: event.type }
  if (event.agentId !== null || event.type === 'unassigned') detail.agentId = event.agentId
  if (event.ticketId !== null) detail.ticketId = event.ticketId
  if (event.status !== null) detail.status = event.status
  return {
    id: event.id as MessageId,
    kind: 'event',
    authorId: event.actorId,
    text: event.text,
    createdAt: event.createdAt,
    event: detail,
  }
}

/**
 * Appends the (already stored) event to the live doc, with `alsoWrite` (meta changes, say) in the
 * same doc transaction, persisted when this returns. No doc (a filed ticket): nothing to do.
 */
export function appendEvent(
  shared: SharedDoc | null,
  event: ConversationEvent,
  alsoWrite?: (doc: Y.Doc) => void,
): void {
  if (!shared) return
  shared.transact((doc) => {
    alsoWrite?.(doc)
    appendMessage(doc, eventMessage(event), ORIGIN.server)
  }, ORIGIN.server)
}

/** The conversation's doc if it is live, else null (events of filed tickets stay in the table). */
export function docIfLive(
  deps: Pick<LifecycleDeps, 'docs' | 'conversations'>,
  conversationId: string,
): SharedDoc | null {
  try {
    return liveConversation(deps, conversationId).shared
  } catch (err) {
    if (err instanceof LifecycleError) return null
    throw err
  }
}
