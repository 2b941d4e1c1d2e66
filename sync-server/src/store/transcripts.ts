/**
 * Transcripts: a closed conversation's history, filed into its ticket; and the transaction that
 * deletes a conversation for good.
 *
 * The crash rule of closing. The conversation's live state is its Yjs document (rows in `ydocs`
 * and `ydoc_updates`) and its `conversations` row; the filed state is the ticket's
 * `ticket_messages`. `file` writes the transcript, marks the conversation row closed and deletes
 * the document's rows in ONE SQLite transaction, so after a crash at any point there is exactly
 * one of the two: the open conversation (transaction not committed: nothing of it happened) or
 * the filed ticket (committed: the document is gone from disk and may no longer be served, since
 * `DocManager.resolve` refuses closed conversations). What follows the commit (closing the
 * document's sockets, removing its inbox card) is derived state: a card left behind by a crash is
 * removed at the next start by `reconcileInbox` (lifecycle/close.ts).
 *
 * Deleting (`purge`) takes everything of the conversation in one transaction: its row, document,
 * events, ticket and transcript, customer media and agent attachment rows, outbox rows, and the
 * statuses and reactions of its wamids, which stay only as tombstones so that Meta's redeliveries
 * cannot bring a message back (wa-messages.ts). The files are the caller's to unlink once committed.
 */
import {
  isOpenTicketStatus,
  type ConversationEvent,
  type MessageKind,
  type TicketMessage,
  type TicketSummary,
} from '@atende/shared'
import type { Db } from './db.js'
import { createAgentMediaStore } from './agent-media.js'
import type { EventStore } from './events.js'
import { createMediaStore, customerMediaFile, mediaDirOf } from './media.js'
import { createOutbox } from './outbox.js'
import type { NewTicket, TicketStore } from './tickets.js'
import { createWaMessageStore, type KnownWamid } from './wa-messages.js'

/** One message as filed: the columns readers need, the rest of the message as JSON. */
export interface FiledMessage {
  messageId: string
  kind: MessageKind
  authorId: string | null
  authorName: string | null
  text: string
  createdAt: number
  /** JSON of the message's other fields (media, event, template, receipt…), or null. */
  data: string | null
}

export interface FilingPlan {
  conversationId: string
  /** The conversation document's name, whose rows are deleted. */
  docName: string
  /** Every message of the document, in document order. */
  messages: readonly FiledMessage[]
  now: number
  /** The ticket to open when the conversation has none yet. */
  newTicket: Omit<NewTicket, 'conversationId' | 'now'>
  /** The `closed` event (stored, and filed as the transcript's last message), naming the ticket. */
  closedEvent(ticket: TicketSummary): FiledEvent
  /**
   * Given: an existing ticket still open (new, open, pending) is set to resolved, and this
   * `status_changed` event is stored and filed just before the `closed` one. Absent: it stays.
   */
  resolvedEvent?(ticket: TicketSummary): FiledEvent
  /** Who handled the conversation (its assignee now), recorded on the ticket; null for nobody. */
  handlerId?: string | null
}

/** An event as stored, and as filed into the transcript. */
export interface FiledEvent {
  event: ConversationEvent
  message: FiledMessage
}

export interface FilingHooks {
  /** Runs inside the transaction after every write, before the commit (tests inject failures). */
  beforeCommit?(): void
}

/** The conversation is not live (closed already, or never was): nothing to file or delete. */
export class ConversationNotLive extends Error {
  readonly code = 'conversation_not_found'
}

export interface TranscriptStore {
  /** Files the conversation's history into its ticket (or a new one) and closes it; see above. */
  file(
    plan: FilingPlan,
    hooks?: FilingHooks,
  ): { ticket: TicketSummary; created: boolean; filed: number }
  /**
   * Deletes the conversation and everything of it in one transaction (see above); `known` are
   * wamids its document names, tombstoned even if the index lacks them.
   */
  purge(conversationId: string, docName: string, known?: readonly KnownWamid[]): PurgeResult
  /** The ticket's transcript, in order. */
  messages(ticketId: string): TicketMessage[]
}

export interface PurgeResult {
  ticketId: string | null
  /** Its media files (customers' and agents'), to unlink after the commit. */
  files: string[]
}

/** A filed message as the API returns it (see `TicketMessage`). */
export function toTicketMessage(filed: FiledMessage): TicketMessage {
  return {
    ...(filed.data ? (JSON.parse(filed.data) as Record<string, unknown>) : {}),
    id: filed.messageId,
    kind: filed.kind,
    text: filed.text,
    authorId: filed.authorId,
    authorName: filed.authorName,
    createdAt: filed.createdAt,
    internal: filed.kind === 'note',
  }
}

interface MessageRow {
  message_id: string
  kind: MessageKind
  author_id: string | null
  author_name: string | null
  text: string
  created_at: number
  data: string | null
}

export function createTranscriptStore(
  db: Db,
  tickets: TicketStore,
  events: EventStore,
): TranscriptStore {
  const conversation = db.prepare<[string], { status: string }>(
    'SELECT status FROM conversations WHERE id = ?',
  )
  const clear = db.prepare<[string]>('DELETE FROM ticket_messages WHERE ticket_id = ?')
  const insert = db.prepare(
    `INSERT INTO ticket_messages
       (ticket_id, seq, message_id, kind, author_id, author_name, text, created_at, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const markFiled = db.prepare<[number, number, string | null, string]>(
    'UPDATE tickets SET filed_at = ?, updated_at = ?, handler_id = ? WHERE id = ?',
  )
  const resolve = db.prepare<[number, string]>(
    "UPDATE tickets SET status = 'resolved', updated_at = ? WHERE id = ?",
  )
  const markClosed = db.prepare<[string]>("UPDATE conversations SET status = 'closed' WHERE id = ?")
  const deleteConversation = db.prepare<[string]>('DELETE FROM conversations WHERE id = ?')
  const deleteTicket = db.prepare<[string]>('DELETE FROM tickets WHERE id = ?')
  const deleteUpdates = db.prepare<[string]>('DELETE FROM ydoc_updates WHERE doc_name = ?')
  const deleteDoc = db.prepare<[string]>('DELETE FROM ydocs WHERE name = ?')
  const media = createMediaStore(db)
  const agentMedia = createAgentMediaStore(db)
  const wa = createWaMessageStore(db)
  const mediaDir = mediaDirOf(db)
  // The outbox rows go with the conversation; a send in flight then finds its row gone (every
  // transition is a compare-and-set) and the document unknown, and leaves nothing behind.
  const outbox = createOutbox(db)
  const select = db.prepare<[string], MessageRow>(
    `SELECT message_id, kind, author_id, author_name, text, created_at, data
     FROM ticket_messages WHERE ticket_id = ? ORDER BY seq`,
  )

  const requireLive = (conversationId: string) => {
    const row = conversation.get(conversationId)
    if (!row || row.status === 'closed') {
      throw new ConversationNotLive('There is no such open conversation')
    }
  }

  const file = db.transaction((plan: FilingPlan, hooks: FilingHooks = {}) => {
    requireLive(plan.conversationId)
    let ticket = tickets.forConversation(plan.conversationId)
    const created = !ticket
    ticket ??= tickets.create({
      ...plan.newTicket,
      conversationId: plan.conversationId,
      now: plan.now,
    })
    const resolving = !created && plan.resolvedEvent && isOpenTicketStatus(ticket.status)
    const closing = [...(resolving ? [plan.resolvedEvent!(ticket)] : []), plan.closedEvent(ticket)]
    if (resolving) resolve.run(plan.now, ticket.id)
    clear.run(ticket.id)
    let seq = 0
    for (const m of [...plan.messages, ...closing.map((filed) => filed.message)]) {
      insert.run(
        ticket.id,
        seq++,
        m.messageId,
        m.kind,
        m.authorId,
        m.authorName,
        m.text,
        m.createdAt,
        m.data,
      )
    }
    markFiled.run(plan.now, plan.now, plan.handlerId ?? null, ticket.id)
    events.attachToTicket(plan.conversationId, ticket.id)
    for (const filed of closing) events.insert({ ...filed.event, ticketId: ticket.id })
    markClosed.run(plan.conversationId)
    deleteUpdates.run(plan.docName)
    deleteDoc.run(plan.docName)
    hooks.beforeCommit?.()
    return { ticket: tickets.get(ticket.id)!, created, filed: seq }
  })

  const purge = db.transaction(
    (conversationId: string, docName: string, known: readonly KnownWamid[]): PurgeResult => {
      requireLive(conversationId)
      const ticket = tickets.forConversation(conversationId)
      if (ticket) deleteTicket.run(ticket.id) // its transcript goes with it (ON DELETE CASCADE)
      events.removeConversation(conversationId)
      const sent = outbox
        .sentWamids(conversationId)
        .map((wamid): KnownWamid => ({ wamid, direction: 'out' }))
      wa.forgetConversation(conversationId, [...known, ...sent], Date.now())
      outbox.removeConversation(conversationId)
      const customerFiles = media.removeConversation(conversationId)
      const agentFiles = agentMedia.removeConversation(conversationId)
      deleteConversation.run(conversationId)
      deleteUpdates.run(docName)
      deleteDoc.run(docName)
      return {
        ticketId: ticket?.id ?? null,
        files: [
          ...(mediaDir ? customerFiles.map((id) => customerMediaFile(mediaDir, id)) : []),
          ...agentFiles,
        ],
      }
    },
  )

  return {
    file: (plan, hooks) => file(plan, hooks),
    purge: (conversationId, docName, known = []) => purge(conversationId, docName, known),
    messages: (ticketId) =>
      select.all(ticketId).map((row) =>
        toTicketMessage({
          messageId: row.message_id,
          kind: row.kind,
          authorId: row.author_id,
          authorName: row.author_name,
          text: row.text,
          createdAt: row.created_at,
          data: row.data,
        }),
      ),
  }
}
