import type * as Y from 'yjs'
import type { ConversationMeta, InboxSummary } from '../model/conversation.js'
import type { Message, Receipt } from '../model/message.js'
import { conversationParts, inboxMap, type Origin } from './schema.js'

/**
 * Appends a message at the end of the conversation: what agents' clients do (replies and notes),
 * and the only insertion the server's rules allow a client.
 */
export function appendMessage(doc: Y.Doc, message: Message, origin: Origin): void {
  doc.transact(() => conversationParts(doc).messages.push([message]), origin)
}

/**
 * Inserts a message by `createdAt` (server only): WhatsApp webhooks arrive out of order, messages
 * are shown in the order customers sent them. Scans from the end, since new messages are nearly
 * always the newest; equal times keep arrival order.
 */
export function insertMessageByTime(doc: Y.Doc, message: Message, origin: Origin): void {
  const messages = conversationParts(doc).messages
  let index = messages.length
  while (index > 0 && (messages.get(index - 1) as Message).createdAt > message.createdAt) index--
  doc.transact(() => messages.insert(index, [message]), origin)
}

/** Writes meta fields that changed (server only); unchanged keys are left alone to keep history small. */
export function writeMeta(doc: Y.Doc, fields: Partial<ConversationMeta>, origin: Origin): void {
  const meta = conversationParts(doc).meta
  doc.transact(() => {
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined && meta.get(key) !== value) meta.set(key, value)
    }
  }, origin)
}

/**
 * Sets a message's receipt, or removes it with `null` (the message shows pending again). Server
 * only. Which receipt a status report leaves is the server's call: sync-server's
 * `whatsapp/delivery.ts` ranks them.
 */
export function writeReceipt(
  doc: Y.Doc,
  messageId: string,
  receipt: Receipt | null,
  origin: Origin,
): void {
  const receipts = conversationParts(doc).receipts
  doc.transact(() => {
    if (receipt) receipts.set(messageId, receipt)
    else receipts.delete(messageId)
  }, origin)
}

/** Puts or replaces a conversation's card in the inbox doc (server only). */
export function putInboxEntry(doc: Y.Doc, summary: InboxSummary, origin: Origin): void {
  doc.transact(() => inboxMap(doc).set(summary.id, summary), origin)
}

export function removeInboxEntry(doc: Y.Doc, id: string, origin: Origin): void {
  doc.transact(() => inboxMap(doc).delete(id), origin)
}
