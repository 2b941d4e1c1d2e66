/**
 * The document side of applying webhooks: one transaction per conversation for everything a batch
 * brings it (messages by WhatsApp time, media placeholders, reactions, receipts, meta), and one
 * transaction on the inbox for every card the batch touched.
 */
import {
  amendedMessage,
  conversationParts,
  factsOf,
  insertMessageByTime,
  ORIGIN,
  putInboxEntry,
  readInboxEntry,
  writeMeta,
  ownWordsOf,
  withEdit,
  withRevoke,
  type AmendedMessage,
  type CustomerMessage,
  type EventMessage,
  type InboxSummary,
  type Message,
  type MessageAmendment,
  type MessageEdit,
  type Receipt,
} from '@atende/shared'
import type * as Y from 'yjs'
import type { Contact } from '../../store/contacts.js'
import type { SharedDoc } from '../../sync/shared-doc.js'
import { writeStatus } from '../delivery.js'
import { writeReaction, type ReactionChange } from '../reactions.js'
import { preview } from './summary.js'

export interface ReceiptChange {
  messageId: string
  receipt: Receipt
}

/** A customer's edit or deletion of one of their messages (exactly one of the two). */
export interface AmendmentChange {
  messageId: string
  edit: MessageEdit | null
  revokedAt: number | null
}

/** Everything one batch writes to one conversation. */
export interface ConversationChanges {
  shared: SharedDoc
  contact: Contact | null
  messages: CustomerMessage[]
  /** Server events for the thread (a customer's number change). */
  events: EventMessage[]
  mediaIds: string[]
  reactions: ReactionChange[]
  receipts: ReceiptChange[]
  amendments: AmendmentChange[]
}

/** What a batch wrote to one conversation that its inbox card follows. */
export interface WrittenChanges {
  /** Customer messages new to the card. */
  fresh: CustomerMessage[]
  /** Customer messages whose amendment changed, as agents now see them. */
  amended: AmendedMessage[]
}

/** Lays an edit or deletion over a message; false when the amendment holds it already. */
export function writeAmendment(doc: Y.Doc, change: AmendmentChange): boolean {
  const amendments = conversationParts(doc).amendments
  const current = amendments.get(change.messageId) as MessageAmendment | undefined
  const next = change.edit
    ? withEdit(current, change.edit)
    : change.revokedAt !== null
      ? withRevoke(current, change.revokedAt)
      : null
  if (!next) return false
  amendments.set(change.messageId, next)
  return true
}

function messageById(doc: Y.Doc, id: string): Message | undefined {
  const messages = conversationParts(doc).messages
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages.get(i) as Message
    if (message.id === id) return message
  }
  return undefined
}

/**
 * Writes a batch's changes to one conversation in one transaction. Messages already in the
 * document (a replay after a crash between the document write and the wamid index) are not
 * inserted twice. Returns the messages that are new to the inbox card.
 */
export function writeConversation(changes: ConversationChanges): WrittenChanges {
  const { shared } = changes
  const fresh: CustomerMessage[] = []
  const amended: AmendedMessage[] = []
  shared.transact((doc) => {
    const parts = conversationParts(doc)
    for (const message of changes.messages) {
      if (!shared.messageIds.has(message.id)) insertMessageByTime(doc, message, ORIGIN.whatsapp)
      fresh.push(message)
    }
    for (const event of changes.events) {
      if (!shared.messageIds.has(event.id)) insertMessageByTime(doc, event, ORIGIN.whatsapp)
    }
    const touched = new Set<string>()
    for (const change of changes.amendments) {
      if (writeAmendment(doc, change)) touched.add(change.messageId)
    }
    for (const id of touched) {
      const message = messageById(doc, id)
      const amendment = parts.amendments.get(id) as MessageAmendment | undefined
      if (message?.kind === 'customer')
        amended.push(amendedMessage(message, amendment) as AmendedMessage)
    }
    for (const mediaId of changes.mediaIds) {
      if (!parts.media.has(mediaId)) parts.media.set(mediaId, { status: 'pending' })
    }
    for (const reaction of changes.reactions) writeReaction(doc, reaction)
    for (const { messageId, receipt } of changes.receipts) writeStatus(doc, messageId, receipt)
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
  return { fresh, amended }
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
  amended: AmendedMessage[] = [],
): InboxSummary {
  const next: InboxSummary = { ...current }
  if (contact) {
    next.contactName = contact.name
    next.phone = contact.phone
  }
  if (messages.length > 0) {
    const newest = newestOf(messages)
    const text = preview(ownWordsOf(newest))
    const facts = factsOf(newest)
    next.unread = current.unread + messages.length
    // A fresh card carries the conversation's creation time, not a message's: take the first one.
    const fresh = current.lastMessage === '' && !current.lastMessageFacts
    if (fresh || newest.createdAt >= current.lastMessageAt) {
      next.lastMessage = text
      next.lastMessageFacts = facts
      next.lastMessageAt = newest.createdAt
    }
    if (
      current.lastCustomerMessageAt === null ||
      newest.createdAt >= current.lastCustomerMessageAt
    ) {
      next.lastCustomerMessage = text
      next.lastCustomerMessageFacts = facts
      next.lastCustomerMessageAt = newest.createdAt
    }
  }
  // An edit or deletion of the message the card shows: the card follows it. (The card names its
  // message by time; a customer message's time is its WhatsApp timestamp.)
  for (const message of amended) {
    const text = preview(ownWordsOf(message))
    const facts = factsOf(message)
    if (message.createdAt === next.lastMessageAt) {
      next.lastMessage = text
      next.lastMessageFacts = facts
    }
    if (message.createdAt === next.lastCustomerMessageAt) {
      next.lastCustomerMessage = text
      next.lastCustomerMessageFacts = facts
    }
  }
  return next
}

/** Updates every touched card of the inbox in one transaction. */
export function writeInbox(
  inbox: SharedDoc,
  cards: Array<{
    conversationId: string
    contact: Contact | null
    messages: CustomerMessage[]
    amended?: AmendedMessage[]
  }>,
): void {
  if (cards.length === 0) return
  inbox.transact((doc) => {
    for (const card of cards) {
      const current = readInboxEntry(doc, card.conversationId)
      if (!current) continue
      const next = nextInboxCard(current, card.contact, card.messages, card.amended)
      if (!sameCard(current, next)) putInboxEntry(doc, next, ORIGIN.whatsapp)
    }
  }, ORIGIN.whatsapp)
}

function sameCard(a: InboxSummary, b: InboxSummary): boolean {
  for (const key of Object.keys(b) as (keyof InboxSummary)[]) {
    const same =
      typeof b[key] === 'object' && b[key] !== null
        ? JSON.stringify(a[key]) === JSON.stringify(b[key])
        : a[key] === b[key]
    if (!same) return false
  }
  return true
}
