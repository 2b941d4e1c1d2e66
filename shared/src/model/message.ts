import type { AgentId, ContactId, MessageId } from './ids.js'

/**
 * Messages are plain JSON objects in the conversation doc's `messages` array, immutable once
 * written. Anything that changes afterwards (delivery receipts, reactions, media downloads) lives in
 * maps keyed by message id, so a message is never rewritten.
 */
export const MESSAGE_KINDS = ['customer', 'agent', 'note', 'event'] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

/** Kinds a client (an agent's browser) may append itself; the rest are written by the server. */
export const CLIENT_MESSAGE_KINDS = ['agent', 'note'] as const satisfies readonly MessageKind[]

/** WhatsApp message types a customer message can carry (`unsupported` keeps anything else visible). */
export const CUSTOMER_MESSAGE_TYPES = [
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'order',
  'unsupported',
] as const
export type CustomerMessageType = (typeof CUSTOMER_MESSAGE_TYPES)[number]

/** Longest text WhatsApp accepts in one message; agent replies are held to it. */
export const MAX_REPLY_LENGTH = 4096
/** Internal notes stay inside the team, so they may be longer. */
export const MAX_NOTE_LENGTH = 20_000

/**
 * A file attached to a message. `mediaId` names our own stored copy (served to signed-in agents at
 * `/api/media/<mediaId>`), never Meta's URL. Download progress lives in the `media` map.
 */
export interface MediaRef {
  mediaId: string
  mimeType: string
  fileName?: string
  caption?: string
  sha256?: string
  size?: number
  /** A voice note (audio recorded in the app, OGG/Opus). */
  voice?: boolean
  /** An animated sticker. */
  animated?: boolean
}

export interface LocationPayload {
  latitude: number
  longitude: number
  name?: string
  address?: string
}

export interface SharedContact {
  name: string
  phones: string[]
}

/** One line of a cart: a catalog product, how many, and its unit price. */
export interface OrderItem {
  /** The product's id in the business's catalog (`product_retailer_id`, e.g. a SKU). */
  productRetailerId: string
  quantity: number
  /** Unit price (`item_price`). */
  itemPrice: number
  /** ISO 4217 code, e.g. `BRL`. */
  currency: string
}

/** A cart the customer sent from the business's catalog (WhatsApp `order`). */
export interface OrderPayload {
  catalogId: string
  items: OrderItem[]
  /** What the customer wrote with the cart (`order.text`). */
  note?: string
}

/** An order's total per currency (a cart normally has one), in order of first appearance. */
export function orderTotals(order: OrderPayload): Array<{ currency: string; amount: number }> {
  const totals = new Map<string, number>()
  for (const item of order.items) {
    totals.set(item.currency, (totals.get(item.currency) ?? 0) + item.quantity * item.itemPrice)
  }
  // Rounded to cents: 0.1 + 0.2 is not 0.3 in floating point.
  return [...totals].map(([currency, amount]) => ({
    currency,
    amount: Math.round(amount * 100) / 100,
  }))
}

/** The answer to a WhatsApp Flow (`interactive.nfm_reply`). */
export interface FlowReply {
  /** `nfm_reply.name` (Meta sends `flow`). */
  name: string
  /** `nfm_reply.body` (Meta sends `Sent`). */
  body: string
  /** The answered fields of `response_json`, in its order, `flow_token` left out. */
  fields: Array<{ name: string; value: string }>
  /** `response_json` exactly as received, for whoever needs the raw answer. */
  responseJson: string
  /** `response_json` was not a JSON object: only the raw text is kept. */
  malformed?: boolean
}

/** A Flow field's name as a label: `screen_0_Order_ID_0` → `Order ID`. */
export function flowFieldLabel(name: string): string {
  const label = name
    .replace(/^screen_\d+_/, '')
    .replace(/_\d+$/, '')
    .replace(/_/g, ' ')
    .trim()
  return label || name
}

/** Where the customer came from: a click-to-WhatsApp ad or post (`referral`). */
export interface Referral {
  /** `source_type`: `ad` or `post` (kept as received if WhatsApp adds others). */
  sourceType: string
  sourceId?: string
  sourceUrl?: string
  headline?: string
  body?: string
  mediaType?: string
  imageUrl?: string
  videoUrl?: string
  thumbnailUrl?: string
  /** The ad click id, for conversion reporting back to Meta. */
  ctwaClid?: string
}

interface MessageBase {
  id: MessageId
  kind: MessageKind
  /** Agent id for agent, note and event messages (null for system events); contact id for customers. */
  authorId: string | null
  /** Text body, media caption, or a readable summary for other types; never HTML. */
  text: string
  /** Milliseconds since the epoch: the WhatsApp `timestamp` for customer messages, else the writer's clock. */
  createdAt: number
  /** The message this one quotes (a reply). */
  replyTo?: MessageId
}

export interface CustomerMessage extends MessageBase {
  kind: 'customer'
  authorId: ContactId
  waMessageId: string
  type: CustomerMessageType
  media?: MediaRef
  location?: LocationPayload
  contacts?: SharedContact[]
  /** For interactive and button replies: the id or payload the customer picked (and, for a list row, its description). */
  choice?: { id: string; title: string; description?: string }
  /** For `order`: the cart. */
  order?: OrderPayload
  /** For an `interactive` Flow answer. */
  flow?: FlowReply
  /** For `unsupported`: the WhatsApp type name as received. */
  originalType?: string
  /** For `unsupported`: what WhatsApp says the customer sent (`unsupported.type`, e.g. a poll). */
  unsupportedType?: string
  /** For `unsupported`: the message as WhatsApp sent it (JSON, cut at 16 KiB), so nothing is lost. */
  raw?: string
  /** `context.forwarded` (forwarded up to 5 times) or `context.frequently_forwarded` (more). */
  forwarded?: 'forwarded' | 'frequently_forwarded'
  /** The ad or post the customer came from. */
  referral?: Referral
}

export interface AgentMessage extends MessageBase {
  kind: 'agent'
  authorId: AgentId
  media?: MediaRef
  /** A message template, the only thing WhatsApp lets us send outside the 24-hour window. */
  template?: { name: string; language: string; params: string[] }
}

export interface NoteMessage extends MessageBase {
  kind: 'note'
  authorId: AgentId
  /** Agents @mentioned in the note; each is notified. */
  mentions?: AgentId[]
}

export const EVENT_TYPES = [
  'created',
  'assigned',
  'unassigned',
  'transferred',
  'ticket_created',
  'status_changed',
  'closed',
  'reopened',
  'number_changed',
] as const
export type ConversationEventType = (typeof EVENT_TYPES)[number]

export interface EventMessage extends MessageBase {
  kind: 'event'
  authorId: AgentId | null
  event: {
    type: ConversationEventType
    agentId?: AgentId | null
    ticketId?: string
    status?: string
    /** `number_changed`: the customer's number before and after (E.164 with '+'). */
    fromPhone?: string
    toPhone?: string
  }
}

export type Message = CustomerMessage | AgentMessage | NoteMessage | EventMessage

export const RECEIPT_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number]

/**
 * What happened to an agent message after it was written, in the `receipts` map. No receipt means
 * pending (not yet handed to WhatsApp). `unknown` is set by the server when an attempt's outcome was
 * lost in a crash: it is never resent silently. Status reports only move a receipt forward (the
 * server ranks them, in sync-server's `whatsapp/delivery.ts`).
 */
export interface Receipt {
  status: ReceiptStatus | 'unknown'
  waMessageId?: string
  error?: string
  at: number
  /** `pricing.category` of a status: what WhatsApp bills the message as (`service`, `marketing`…). */
  billingCategory?: string
  /** `conversation.origin.type` of a status: what opened the billed conversation. */
  conversationOrigin?: string
}
