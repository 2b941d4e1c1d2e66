import type * as Y from 'yjs'
import type { ConversationMeta, InboxSummary } from '../model/conversation.js'
import type { Message, Receipt } from '../model/message.js'
import { conversationParts, inboxMap } from './schema.js'

/** All messages of a conversation doc, in document order (plain objects, shared, do not mutate). */
export function readMessages(doc: Y.Doc): Message[] {
  return conversationParts(doc).messages.toArray() as Message[]
}

/** The conversation's meta as a plain object (fields the server has not written are absent). */
export function readMeta(doc: Y.Doc): Partial<ConversationMeta> {
  return conversationParts(doc).meta.toJSON() as Partial<ConversationMeta>
}

export function readReceipt(doc: Y.Doc, messageId: string): Receipt | undefined {
  return conversationParts(doc).receipts.get(messageId) as Receipt | undefined
}

export function readReceipts(doc: Y.Doc): Record<string, Receipt> {
  return conversationParts(doc).receipts.toJSON() as Record<string, Receipt>
}

/** Every inbox summary, in no particular order. */
export function readInbox(doc: Y.Doc): InboxSummary[] {
  return [...inboxMap(doc).values()] as InboxSummary[]
}

export function readInboxEntry(doc: Y.Doc, id: string): InboxSummary | undefined {
  return inboxMap(doc).get(id) as InboxSummary | undefined
}
