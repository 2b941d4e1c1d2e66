/**
 * Webhook payloads exactly as Meta delivers them (see shared/WHATSAPP.md): the envelope
 * `{object, entry:[{id, changes:[{field:'messages', value}]}]}` around customer messages or
 * statuses of our own sends. Timestamps are Unix seconds as strings; media sha256 is base64.
 * `metaJson` serialises like Meta does (non-ASCII escaped as `\uXXXX`), so signatures must be
 * computed over the exact bytes, never over re-serialised JSON.
 */
import { createHash, randomBytes } from 'node:crypto'

/** The business side of an envelope: which WABA and which number received or sent. */
export interface Business {
  wabaId: string
  phoneNumberId: string
  displayPhoneNumber: string
}

/** A customer as `value.contacts[]` describes them. */
export interface Sender {
  waId: string
  name?: string
  /** Business-scoped user id (2026 usernames); `waId` may then be left out with `waId: ''`. */
  userId?: string
}

export interface InboundMessage {
  from: string
  id: string
  timestamp: string
  type: string
  context?: { from: string; id: string }
  [body: string]: unknown
}

export type StatusName = 'sent' | 'delivered' | 'read' | 'failed' | 'played'

export interface StatusError {
  code: number
  title: string
  message: string
  error_data: { details: string }
}

export interface StatusEvent {
  id: string
  status: StatusName
  timestamp: string
  recipient_id: string
  errors?: StatusError[]
  conversation?: { id: string; origin: { type: string } }
  pricing?: { billable: boolean; pricing_model: string; category: string }
}

export interface WebhookEnvelope {
  object: 'whatsapp_business_account'
  entry: Array<{ id: string; changes: Array<{ field: 'messages'; value: WebhookValue }> }>
}

export interface WebhookValue {
  messaging_product: 'whatsapp'
  metadata: { display_phone_number: string; phone_number_id: string }
  contacts?: Array<{ profile: { name: string }; wa_id?: string; user_id?: string }>
  messages?: InboundMessage[]
  statuses?: StatusEvent[]
}

/** Per-message overrides: a fixed id or time, or the message being replied to (`context`). */
export interface MessageOptions {
  id?: string
  /** Unix seconds (string or number) or a Date; default now. */
  timestamp?: string | number | Date
  /** Quote an earlier message: `context: {from, id}` (`from` is who sent the quoted one). */
  replyTo?: { from: string; id: string }
}

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker'

export interface MediaBody {
  id: string
  mime_type: string
  /** Base64, as in webhooks. */
  sha256: string
  caption?: string
  filename?: string
  voice?: boolean
  animated?: boolean
}

/** A fresh message id shaped like Meta's: `wamid.` + base64 of a length-prefixed number and hex. */
export function newWamid(phone = '5511999999999'): string {
  return wamidWithTail(phone, randomBytes(10).toString('hex'))
}

/**
 * The same id every time for the same `phone`, `step` and `seed`: a demo customer's scripted
 * message keeps its wamid, so a replay after a restart is a duplicate our server drops.
 */
export function stableWamid(phone: string, step: string, seed: string): string {
  const digest = createHash('sha256').update(`${seed}\n${phone}\n${step}`).digest('hex')
  return wamidWithTail(phone, digest.slice(0, 20))
}

function wamidWithTail(phone: string, hex: string): string {
  const digits = Buffer.from(phone.replace(/\D/g, '').slice(0, 15))
  const tail = Buffer.from(hex.toUpperCase())
  const bytes = Buffer.concat([
    Buffer.from([0x1c, 0x18, digits.length]),
    digits,
    Buffer.from([0x15, 0x02, 0x00, 0x12, 0x18, tail.length]),
    tail,
    Buffer.from([0x00]),
  ])
  return 'wamid.' + bytes.toString('base64')
}

/** Unix seconds as a string, as every webhook timestamp is. */
export function unixTime(at: string | number | Date = new Date()): string {
  if (typeof at === 'string') return at
  if (at instanceof Date) return String(Math.floor(at.getTime() / 1000))
  return String(Math.floor(at))
}

/** Base64 SHA-256, as `sha256` appears in media webhooks. */
export function sha256Base64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64')
}

/** JSON as Meta sends it: non-ASCII escaped as `\uXXXX` (and `/` as `\/`). */
export function metaJson(payload: unknown): string {
  return JSON.stringify(payload)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'))
}

/** The fields every inbound message starts with: sender, id, time, type and a quoted `context`. */
export function messageBase(from: string, type: string, options: MessageOptions): InboundMessage {
  const message: InboundMessage = {
    from,
    id: options.id ?? newWamid(from),
    timestamp: unixTime(options.timestamp),
    type,
  }
  if (options.replyTo) message.context = { from: options.replyTo.from, id: options.replyTo.id }
  return message
}

export function textMessage(
  from: string,
  body: string,
  options: MessageOptions = {},
): InboundMessage {
  return { ...messageBase(from, 'text', options), text: { body } }
}

export function mediaMessage(
  from: string,
  kind: MediaKind,
  media: MediaBody,
  options: MessageOptions = {},
): InboundMessage {
  return { ...messageBase(from, kind, options), [kind]: { ...media } }
}

export const imageMessage = (from: string, media: MediaBody, options?: MessageOptions) =>
  mediaMessage(from, 'image', media, options)
export const videoMessage = (from: string, media: MediaBody, options?: MessageOptions) =>
  mediaMessage(from, 'video', media, options)
/** An audio file, or a voice note (`voice: true`, OGG/Opus). */
export const audioMessage = (from: string, media: MediaBody, options?: MessageOptions) =>
  mediaMessage(from, 'audio', media, options)
export const documentMessage = (from: string, media: MediaBody, options?: MessageOptions) =>
  mediaMessage(from, 'document', media, options)
export const stickerMessage = (from: string, media: MediaBody, options?: MessageOptions) =>
  mediaMessage(from, 'sticker', media, options)

export function locationMessage(
  from: string,
  location: { latitude: number; longitude: number; name?: string; address?: string },
  options: MessageOptions = {},
): InboundMessage {
  return { ...messageBase(from, 'location', options), location: { ...location } }
}

export interface SharedContact {
  name: { formatted_name: string; first_name?: string; last_name?: string }
  phones?: Array<{ phone: string; type?: string; wa_id?: string }>
  emails?: Array<{ email: string; type?: string }>
}

export function contactsMessage(
  from: string,
  contacts: SharedContact[],
  options: MessageOptions = {},
): InboundMessage {
  return { ...messageBase(from, 'contacts', options), contacts }
}

/** A tap on a reply button of an interactive message we sent (`replyTo` = that message). */
export function buttonReplyMessage(
  from: string,
  reply: { id: string; title: string },
  options: MessageOptions = {},
): InboundMessage {
  return {
    ...messageBase(from, 'interactive', options),
    interactive: { type: 'button_reply', button_reply: reply },
  }
}

export function listReplyMessage(
  from: string,
  reply: { id: string; title: string; description?: string },
  options: MessageOptions = {},
): InboundMessage {
  return {
    ...messageBase(from, 'interactive', options),
    interactive: { type: 'list_reply', list_reply: reply },
  }
}

/** A template quick-reply button tap. */
export function buttonMessage(
  from: string,
  button: { payload: string; text: string },
  options: MessageOptions = {},
): InboundMessage {
  return { ...messageBase(from, 'button', options), button }
}

/** A reaction to `messageId`; without `emoji` the customer removed their reaction. */
export function reactionMessage(
  from: string,
  messageId: string,
  emoji?: string,
  options: MessageOptions = {},
): InboundMessage {
  const reaction: { message_id: string; emoji?: string } = { message_id: messageId }
  if (emoji !== undefined) reaction.emoji = emoji
  return { ...messageBase(from, 'reaction', options), reaction }
}

export interface OrderItem {
  product_retailer_id: string
  quantity: number
  item_price: number
  currency: string
}

/** A cart sent from the business's catalog: its items with prices, and the customer's note. */
export function orderMessage(
  from: string,
  order: { catalog_id: string; product_items: OrderItem[]; text?: string },
  options: MessageOptions = {},
): InboundMessage {
  return { ...messageBase(from, 'order', options), order: { ...order } }
}

/**
 * A WhatsApp Flow's answer (`nfm_reply`): what the customer filled in, as a JSON object inside
 * the string `response_json` (it always carries the `flow_token` the flow was sent with). A string
 * `response` is that `response_json` as is (a malformed answer, in tests).
 */
export function flowReplyMessage(
  from: string,
  reply: { response: Record<string, unknown> | string; body?: string; name?: string },
  options: MessageOptions = {},
): InboundMessage {
  return {
    ...messageBase(from, 'interactive', options),
    interactive: {
      type: 'nfm_reply',
      nfm_reply: {
        name: reply.name ?? 'flow',
        body: reply.body ?? 'Sent',
        response_json:
          typeof reply.response === 'string' ? reply.response : JSON.stringify(reply.response),
      },
    },
  }
}

/**
 * The customer edited their message `originalId` (text, or a caption): the event has an id of
 * its own, and `edit.message` is the message as it now reads.
 */
export function editMessage(
  from: string,
  originalId: string,
  message: { type: 'text'; text: { body: string } } | { type: MediaKind; [kind: string]: unknown },
  options: MessageOptions = {},
): InboundMessage {
  return {
    ...messageBase(from, 'edit', options),
    edit: { original_message_id: originalId, message: { ...message } },
  }
}

/** The customer deleted their message `originalId` for everyone. */
export function revokeMessage(
  from: string,
  originalId: string,
  options: MessageOptions = {},
): InboundMessage {
  return { ...messageBase(from, 'revoke', options), revoke: { original_message_id: originalId } }
}

/** A message type the Cloud API cannot pass on (e.g. a poll), as Meta reports it. */
export function unsupportedMessage(from: string, options: MessageOptions = {}): InboundMessage {
  return {
    ...messageBase(from, 'unsupported', options),
    errors: [
      {
        code: 131051,
        title: 'Message type unknown',
        message: 'Message type unknown',
        error_data: { details: 'Message type is currently not supported.' },
      },
    ],
  }
}

function envelope(
  business: Business,
  value: Omit<WebhookValue, 'messaging_product' | 'metadata'>,
): WebhookEnvelope {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: business.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: business.displayPhoneNumber,
                phone_number_id: business.phoneNumberId,
              },
              ...value,
            },
          },
        ],
      },
    ],
  }
}

/** Customer messages as one delivery: `value.contacts` (one per sender) and `value.messages`. */
export function messagesWebhook(
  business: Business,
  senders: Sender | Sender[],
  messages: InboundMessage | InboundMessage[],
): WebhookEnvelope {
  const contacts = (Array.isArray(senders) ? senders : [senders]).map((sender) => {
    const contact: { profile: { name: string }; wa_id?: string; user_id?: string } = {
      profile: { name: sender.name ?? '' },
    }
    if (sender.waId) contact.wa_id = sender.waId
    if (sender.userId) contact.user_id = sender.userId
    return contact
  })
  return envelope(business, { contacts, messages: Array.isArray(messages) ? messages : [messages] })
}

/** One status of one of our sends; `failed` takes the error the agent should see. */
export function statusEvent(
  wamid: string,
  status: StatusName,
  recipientId: string,
  options: { timestamp?: string | number | Date; errors?: StatusError[] } = {},
): StatusEvent {
  const event: StatusEvent = {
    id: wamid,
    status,
    timestamp: unixTime(options.timestamp),
    recipient_id: recipientId,
  }
  if (status === 'sent' || status === 'delivered') {
    event.conversation = { id: randomBytes(16).toString('hex'), origin: { type: 'service' } }
    event.pricing = { billable: true, pricing_model: 'PMP', category: 'service' }
  }
  if (options.errors) event.errors = options.errors
  if (status === 'failed' && !options.errors) {
    event.errors = [
      {
        code: 131026,
        title: 'Message undeliverable',
        message: 'Message undeliverable',
        error_data: { details: 'Message Undeliverable.' },
      },
    ]
  }
  return event
}

/** Statuses of our sends as one delivery (`value.statuses`). */
export function statusesWebhook(
  business: Business,
  statuses: StatusEvent | StatusEvent[],
): WebhookEnvelope {
  return envelope(business, { statuses: Array.isArray(statuses) ? statuses : [statuses] })
}
