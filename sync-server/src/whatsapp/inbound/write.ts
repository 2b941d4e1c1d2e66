/**
 * The document side of applying webhooks: one transaction per conversation for everything a batch
 * brings it (messages by WhatsApp time, media placeholders, reactions, receipts, meta), and one
 * transaction on the inbox for every card the batch touched.
 */
import {
  conversationParts,
  insertMessageByTime,
  ORIGIN,
  putInboxEntry,
  readInboxEntry,
  writeMeta,
  writeReceipt,
  type CustomerMessage,
  type InboxSummary,
  type Receipt,
} from '@atende/shared'
import type * as Y from 'yjs'
import type { Contact } from '../../store/contacts.js'
import type { SharedDoc } from '../../sync/shared-doc.js'
import { preview } from './summary.js'

/** A reaction as the `reactions` map holds it, under `<messageId>|<contactId>`. */
export interface ReactionEntry {
  messageId: string
  emoji: string
  by: string
  at: number
}

export interface ReactionChange {
  messageId: string
  contactId: string
  /** Null removes the reaction. */
  emoji: string | null
  at: number
}

export interface ReceiptChange {
  messageId: string
  receipt: Receipt
}

/** Everything one batch writes to one conversation. */
export interface ConversationChanges {
  shared: SharedDoc
  contact: Contact | null
  messages: CustomerMessage[]
  mediaIds: string[]
  reactions: ReactionChange[]
  receipts: ReceiptChange[]
}

export const reactionKey = (messageId: string, contactId: string) => `${messageId}|${contactId}`

/** Sets or removes a customer's reaction on a message; no write when nothing changes. */
export function writeReaction(doc: Y.Doc, change: ReactionChange): void {
  const reactions = conversationParts(doc).reactions
  const key = reactionKey(change.messageId, change.contactId)
  const current = reactions.get(key) as ReactionEntry | undefined
  if (change.emoji === null) {
    if (current) reactions.delete(key)
    return
  }
  if (current && current.emoji === change.emoji && current.at === change.at) return
  const entry: ReactionEntry = {
    messageId: change.messageId,
    emoji: change.emoji,
    by: change.contactId,
    at: change.at,
  }
  reactions.set(key, entry)
}

/**
 * Writes a batch's changes to one conversation in one transaction. Messages already in the
 * document (a replay after a crash between the document write and the wamid index) are not
 * inserted twice. Returns the messages that are new to the inbox card.
 */
export function writeConversation(changes: ConversationChanges): CustomerMessage[] {
  const { shared } = changes
  const fresh: CustomerMessage[] = []
  shared.transact((doc) => {
    const parts = conversationParts(doc)
    for (const message of changes.messages) {
      if (!shared.messageIds.has(message.id)) insertMessageByTime(doc, message, ORIGIN.whatsapp)
      fresh.push(message)
    }
    for (const mediaId of changes.mediaIds) {
      if (!parts.media.has(mediaId)) parts.media.set(mediaId, { status: 'pending' })
    }
    for (const reaction of changes.reactions) writeReaction(doc, reaction)
    for (const { messageId, receipt } of changes.receipts) {
      writeReceipt(doc, messageId, receipt, ORIGIN.whatsapp)
    }
    if (fresh.length > 0 || changes.contact) {
      const newest = Math.max(...fresh.map((message) => message.createdAt))
      const current = parts.meta.get('lastCustomerMessageAt') as number | null | undefined
      writeMeta(
        doc,
        {
          ...(changes.contact && {
            contactName: changes.contact.name,
            phone: changes.contact.phone,
          }),
          ...(fresh.length > 0 &&
            (current == null || newest > current) && { lastCustomerMessageAt: newest }),
        },
        ORIGIN.whatsapp,
      )
    }
  }, ORIGIN.whatsapp)
  return fresh
}

/** The newest of `messages` (the last one listed among equal times, like the conversation). */
function newestOf(messages: CustomerMessage[]): CustomerMessage {
  return messages.reduce((newest, message) =>
    message.createdAt >= newest.createdAt ? message : newest,
  )
}

/** The card after new customer messages arrived. */
export function nextInboxCard(
  current: InboxSummary,
  contact: Contact | null,
  messages: CustomerMessage[],
): InboxSummary {
  const next: InboxSummary = { ...current }
  if (contact) {
    next.contactName = contact.name
    next.phone = contact.phone
  }
  if (messages.length > 0) {
    const newest = newestOf(messages)
    const text = preview(newest.text)
    next.unread = current.unread + messages.length
    // A fresh card carries the conversation's creation time, not a message's: take the first one.
    if (current.lastMessage === '' || newest.createdAt >= current.lastMessageAt) {
      next.lastMessage = text
      next.lastMessageAt = newest.createdAt
    }
    if (
      current.lastCustomerMessageAt === null ||
      newest.createdAt >= current.lastCustomerMessageAt
    ) {
      next.lastCustomerMessage = text
      next.lastCustomerMessageAt = newest.createdAt
    }
  }
  return next
}

/** Updates every touched card of the inbox in one transaction. */
export function writeInbox(
  inbox: SharedDoc,
  cards: Array<{ conversationId: string; contact: Contact | null; messages: CustomerMessage[] }>,
): void {
  if (cards.length === 0) return
  inbox.transact((doc) => {
    for (const card of cards) {
      const current = readInboxEntry(doc, card.conversationId)
      if (!current) continue
      const next = nextInboxCard(current, card.contact, card.messages)
      if (!sameCard(current, next)) putInboxEntry(doc, next, ORIGIN.whatsapp)
    }
  }, ORIGIN.whatsapp)
}

function sameCard(a: InboxSummary, b: InboxSummary): boolean {
  for (const key of Object.keys(b) as (keyof InboxSummary)[]) if (a[key] !== b[key]) return false
  return true
}
