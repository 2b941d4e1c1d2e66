import {
  conversationDocName,
  INBOX_DOC,
  newId,
  ORIGIN,
  putInboxEntry,
  writeMeta,
  type AgentId,
  type ConversationId,
  type InboxSummary,
} from '@atende/shared'
import type { DocManager } from '../sync/docs.js'
import type { Contact } from '../store/contacts.js'
import type { ConversationRow, ConversationStore } from '../store/conversations.js'

export interface ConversationDeps {
  docs: DocManager
  conversations: ConversationStore
}

/**
 * The contact's live conversation, or a new one: a row in SQLite first (so the document may be
 * served), then its `meta`, then its card in the inbox. Each step is idempotent, so a crash between
 * them is repaired by the next call for the same contact.
 */
export function openConversation(
  deps: ConversationDeps,
  contact: Contact,
  options: { assigneeId?: AgentId | null; now?: number } = {},
): { conversation: ConversationRow; created: boolean } {
  const now = options.now ?? Date.now()
  const existing = deps.conversations.openFor(contact.id)
  const conversation: ConversationRow = existing ?? {
    id: newId<ConversationId>(),
    contactId: contact.id,
    status: 'open',
    createdAt: now,
  }
  if (!existing) deps.conversations.insert(conversation)

  const doc = deps.docs.get(conversationDocName(conversation.id))
  if (!doc.doc.getMap('meta').has('id')) {
    doc.transact((ydoc) => {
      writeMeta(
        ydoc,
        {
          id: conversation.id,
          contactId: contact.id,
          contactName: contact.name,
          phone: contact.phone,
          assigneeId: options.assigneeId ?? null,
          status: conversation.status,
          createdAt: conversation.createdAt,
          lastCustomerMessageAt: null,
          ticketId: null,
        },
        ORIGIN.server,
      )
    }, ORIGIN.server)
  }
  const inbox = deps.docs.get(INBOX_DOC)
  if (!inbox.doc.getMap('conversations').has(conversation.id)) {
    const summary: InboxSummary = {
      id: conversation.id,
      contactId: contact.id,
      contactName: contact.name,
      phone: contact.phone,
      lastMessage: '',
      lastMessageAt: conversation.createdAt,
      lastCustomerMessage: '',
      lastCustomerMessageAt: null,
      assigneeId: options.assigneeId ?? null,
      unread: 0,
      status: conversation.status,
      createdAt: conversation.createdAt,
    }
    inbox.transact((ydoc) => putInboxEntry(ydoc, summary, ORIGIN.server), ORIGIN.server)
  }
  return { conversation, created: !existing }
}
