/**
 * Closing a conversation: its whole history (customer and agent messages, internal notes, media
 * references, events) is filed into its ticket, or a new one, and the live document is deleted.
 * The crash rule (exactly one of "open conversation" and "filed ticket" survives a crash) is the
 * one SQLite transaction of `TranscriptStore.file`; the inbox card removed afterwards is derived
 * state, repaired at start-up by `reconcileInbox`.
 */
import {
  amendedMessage,
  conversationParts,
  INBOX_DOC,
  ORIGIN,
  readInbox,
  readMeta,
  readReceipts,
  removeInboxEntry,
  type Actor,
  type CloseTicketChoice,
  type ConversationEvent,
  type Message,
  type MessageAmendment,
  type TicketSummary,
} from '@atende/shared'
import type * as Y from 'yjs'
import { createConversationStore, type ConversationStore } from '../store/conversations.js'
import type { Db } from '../store/db.js'
import type { FiledMessage, FilingHooks } from '../store/transcripts.js'
import type { Logger } from '../log.js'
import type { DocManager } from '../sync/docs.js'
import { eventMessage, liveConversation, newEvent, type LifecycleDeps } from './events.js'

/** Author names for a transcript: agents by id (looked up once each), the contact for customers. */
export function authorNames(
  deps: Pick<LifecycleDeps, 'accounts'>,
  contact: { id: string; name: string } | undefined,
): (message: Pick<Message, 'kind' | 'authorId'>) => string | null {
  const agents = new Map<string, string | null>()
  return (message) => {
    if (message.authorId === null) return null
    if (message.kind === 'customer') return contact?.name ?? null
    let name = agents.get(message.authorId)
    if (name === undefined) {
      name = deps.accounts.get(message.authorId)?.name ?? null
      agents.set(message.authorId, name)
    }
    return name
  }
}

/** One message as filed: the common columns, everything else (and its receipt) as JSON. */
export function fileMessage(
  message: Message,
  authorName: string | null,
  receipt?: unknown,
): FiledMessage {
  const { id, kind, authorId, text, createdAt, ...rest } = message
  const extra: Record<string, unknown> = rest
  if (receipt !== undefined) extra.receipt = receipt
  let data: string | null = null
  for (const _ in extra) {
    data = JSON.stringify(extra)
    break
  }
  return { messageId: id, kind, authorId, authorName, text, createdAt, data }
}

/** Every message of a conversation doc, in document order, ready to file. */
export function fileMessages(
  doc: Y.Doc,
  name: (message: Message) => string | null,
): FiledMessage[] {
  const parts = conversationParts(doc)
  const messages = parts.messages.toArray() as Message[]
  const receipts = readReceipts(doc)
  // A customer's edits and deletion are filed with the message: its latest text, the earlier ones.
  return messages.map((message) =>
    fileMessage(
      amendedMessage(message, parts.amendments.get(message.id) as MessageAmendment | undefined),
      name(message),
      message.kind === 'agent' ? receipts[message.id] : undefined,
    ),
  )
}

export interface CloseOptions {
  /** What becomes of an open ticket: resolved (the default) or kept as it is. */
  ticket?: CloseTicketChoice
  now?: number
  /** Test seam: runs inside the filing transaction, before its commit. */
  hooks?: FilingHooks
}

/**
 * Closes a live conversation (any signed-in agent may). Returns the ticket that holds its history
 * and how many messages were filed. The ticket records who handled the conversation (its assignee
 * now); an open one is resolved unless `options.ticket` is `keep`. Peers of the document are closed with 4410; the customer's
 * next message opens a new conversation (the row is closed, so `openConversation` makes a new one).
 */
export function closeConversation(
  deps: LifecycleDeps,
  conversationId: string,
  actor: Actor,
  options: CloseOptions = {},
): { ticket: TicketSummary; created: boolean; filed: number } {
  const { conversation, shared } = liveConversation(deps, conversationId)
  // Updates still in the group commit are in memory (and so in the transcript); put them on disk
  // too, so a failed filing leaves the conversation exactly as every peer saw it.
  shared.flush()
  const now = options.now ?? Date.now()
  const contact = deps.contacts.get(conversation.contactId)
  const name = authorNames(deps, contact)
  const messages = fileMessages(shared.doc, name)
  const actorName = deps.accounts.get(actor.id)?.name ?? 'An agent'
  const docName = shared.name.name
  const handlerId = readMeta(shared.doc).assigneeId ?? null
  const filedEvent = (event: ConversationEvent) => {
    const message = eventMessage(event)
    return { event, message: fileMessage(message, name(message)) }
  }

  const { ticket, created, filed } = deps.transcripts.file(
    {
      conversationId: conversation.id,
      docName,
      messages,
      now,
      newTicket: {
        contactId: conversation.contactId,
        // The service ended with the conversation: a ticket opened only to file it is closed too.
        status: 'closed',
        assigneeId: handlerId ?? actor.id,
        createdBy: actor.id,
      },
      handlerId,
      resolvedEvent:
        (options.ticket ?? 'resolve') === 'resolve'
          ? (ticket) =>
              filedEvent(
                newEvent({
                  conversationId: conversation.id,
                  ticketId: ticket.id,
                  type: 'status_changed',
                  actorId: actor.id,
                  status: 'resolved',
                  text: `${actorName} set ticket #${ticket.number} to resolved`,
                  now,
                }),
              )
          : undefined,
      closedEvent: (ticket) =>
        filedEvent(
          newEvent({
            conversationId: conversation.id,
            ticketId: ticket.id,
            type: 'closed',
            actorId: actor.id,
            text: `${actorName} closed the conversation (ticket #${ticket.number})`,
            now,
          }),
        ),
    },
    options.hooks,
  )

  // Committed. From here on, derived state only: drop the doc (its peers get 4410), then the card.
  deps.docs.remove(docName)
  try {
    removeFromInbox(deps.docs, conversation.id)
  } catch (err) {
    deps.log.error('removing a closed conversation from the inbox failed; fixed at next start', {
      conversationId: conversation.id,
      err,
    })
  }
  deps.log.info('conversation closed', {
    conversationId: conversation.id,
    ticketId: ticket.id,
    by: actor.id,
    messages: messages.length,
  })
  return { ticket, created, filed }
}

export function removeFromInbox(docs: Pick<DocManager, 'get'>, conversationId: string): void {
  const inbox = docs.get(INBOX_DOC)
  if (!inbox.doc.getMap('conversations').has(conversationId)) return
  inbox.transact((doc) => removeInboxEntry(doc, conversationId, ORIGIN.server), ORIGIN.server)
}

/**
 * Start-up repair: removes inbox cards of conversations that are closed or no longer exist (a
 * crash between a close or delete's commit and the card's removal). Returns how many it removed.
 */
export function reconcileInbox(deps: {
  docs: Pick<DocManager, 'get'>
  conversations: Pick<ConversationStore, 'get'>
}): number {
  const inbox = deps.docs.get(INBOX_DOC)
  const stale = readInbox(inbox.doc)
    .map((card) => card.id)
    .filter((id) => {
      const row = deps.conversations.get(id)
      return !row || row.status === 'closed'
    })
  if (stale.length > 0) {
    inbox.transact((doc) => {
      for (const id of stale) removeInboxEntry(doc, id, ORIGIN.server)
    }, ORIGIN.server)
  }
  return stale.length
}

/** `reconcileInbox` as main.ts calls it once at start-up, before anything listens. */
export function reconcileAtStart(options: {
  db: Db
  docs: Pick<DocManager, 'get'>
  log: Logger
}): void {
  const removed = reconcileInbox({
    docs: options.docs,
    conversations: createConversationStore(options.db),
  })
  if (removed > 0) options.log.info('stale inbox cards removed', { count: removed })
}
