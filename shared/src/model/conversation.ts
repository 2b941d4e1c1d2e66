import type { MessageFacts } from './facts.js'
import type { AgentId, ContactId, ConversationId } from './ids.js'

export const CONVERSATION_STATUSES = ['open', 'pending', 'closed'] as const
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number]

/** The 24-hour customer service window WhatsApp opens with each customer message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000

/** The `meta` map of a conversation doc. Written by the server only (lifecycle goes through the API). */
export interface ConversationMeta {
  id: ConversationId
  contactId: ContactId
  contactName: string
  phone: string
  assigneeId: AgentId | null
  status: ConversationStatus
  createdAt: number
  /** When the last customer message arrived (ms epoch), or null: drives the 24-hour window. */
  lastCustomerMessageAt: number | null
  /** The conversation's ticket once one was created. */
  ticketId: string | null
}

/** One entry of the `inbox` doc's `conversations` map: everything the list needs to draw a card. */
export interface InboxSummary {
  id: ConversationId
  contactId: ContactId
  contactName: string
  phone: string
  /** Text preview of the last message (customer or agent), never HTML. */
  lastMessage: string
  lastMessageAt: number
  lastCustomerMessage: string
  lastCustomerMessageAt: number | null
  /**
   * What the last message is, when a customer's (type, place, file name…), for readers to word in
   * their own language; `lastMessage` then holds only the customer's own words. Absent on cards
   * written before facts were stored, whose `lastMessage` is the whole (English) preview.
   */
  lastMessageFacts?: MessageFacts
  lastCustomerMessageFacts?: MessageFacts
  assigneeId: AgentId | null
  /** Customer messages no agent has seen yet. */
  unread: number
  status: ConversationStatus
  createdAt: number
}

/** When the 24-hour window closes (ms epoch), or null when the customer never wrote. */
export function serviceWindowClosesAt(lastCustomerMessageAt: number | null): number | null {
  return lastCustomerMessageAt === null ? null : lastCustomerMessageAt + SERVICE_WINDOW_MS
}

/** Free text may be sent only while the window is open. */
export function isServiceWindowOpen(lastCustomerMessageAt: number | null, now: number): boolean {
  const closesAt = serviceWindowClosesAt(lastCustomerMessageAt)
  return closesAt !== null && now < closesAt
}
