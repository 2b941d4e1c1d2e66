/**
 * Webhook payloads → plain operations (messages, reactions, statuses), with no I/O: every entry,
 * change, message and status is visited, anything malformed is skipped with a note (never a
 * body, number or wa_id), and any message type we do not know becomes a visible `unsupported`
 * message. A message's `text` is only the customer's own words (a text, a caption, a choice): what
 * a location or an order is gets worded by each reader, in their language, from its fields. Message and media ids are derived from the wamid, so applying the same delivery twice
 * (a redelivery, or a replay after a crash) always names the same message.
 */
import { createHash } from 'node:crypto'
import type {
  CustomerMessage,
  CustomerMessageType,
  FlowReply,
  LocationPayload,
  MediaRef,
  MessageId,
  OrderItem,
  OrderPayload,
  Referral,
  SharedContact,
} from '@atende/shared'
import type { WhatsAppIdentity } from '../../store/contacts.js'
import type { MediaKind } from '../../store/media.js'
import type { WaStatus } from '../../store/wa-messages.js'
import { GraphError } from '../graph.js'

export interface InboundSender {
  identity: WhatsAppIdentity
  profileName: string | null
}

/** A customer message, ready to write once its author and quoted message are resolved. */
export type CustomerMessageDraft = Omit<CustomerMessage, 'authorId' | 'replyTo'>

export interface MediaDownload {
  mediaId: string
  waMediaId: string
  kind: MediaKind
  mimeType: string
  fileName: string | null
  sha256: string | null
}

export type InboundOp =
  | {
      kind: 'message'
      sender: InboundSender
      wamid: string
      at: number
      /** `context.id`: the wamid of the message this one quotes. */
      quotedWamid: string | null
      message: CustomerMessageDraft
      media: MediaDownload | null
    }
  | {
      kind: 'reaction'
      sender: InboundSender
      wamid: string
      at: number
      targetWamid: string
      /** Null: the reaction was removed. */
      emoji: string | null
    }
  | {
      /** The customer edited (`edit`) or deleted for everyone (`revoke`) an earlier message. */
      kind: 'amend'
      sender: InboundSender
      wamid: string
      at: number
      targetWamid: string
      /** The new text or caption; null for a revoke. */
      edit: { text: string } | null
    }
  | {
      /** `system` `user_changed_number` (or `user_changed_user_id`): the customer's new identity. */
      kind: 'identity'
      sender: InboundSender
      wamid: string
      at: number
      /** The new wa_id (null when only the business-scoped user id changed). */
      newWaId: string | null
      newUserId: string | null
      /** The user id before the change, when WhatsApp names it (`previous_user_id`). */
      previousUserId: string | null
    }
  | {
      kind: 'status'
      wamid: string
      status: WaStatus
      at: number
      error: string | null
      /** `pricing.category` and `conversation.origin.type`, when the status carries them. */
      billing: { category: string | null; origin: string | null }
    }

export interface ParseResult {
  ops: InboundOp[]
  /** Why parts were skipped, for the log: no content, only shapes. */
  notes: string[]
}

export interface ParseOptions {
  /**
   * The business number we serve. A change is ours only when its `metadata.phone_number_id` is
   * this number: a change for another number, or with no number at all, is skipped (the event
   * stays stored until applied, and the skip is logged). With none configured (a replay after the
   * channel was removed), any change that names a number is taken.
   */
  phoneNumberId?: string | null
  /** When the delivery arrived (ms): stands in for a missing or unreadable timestamp. */
  receivedAt: number
}

type Json = Record<string, unknown>

const MEDIA_KINDS = new Set<string>(['image', 'video', 'audio', 'document', 'sticker'])
const DEFAULT_MIME: Record<MediaKind, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg',
  document: 'application/octet-stream',
  sticker: 'image/webp',
}
const STATUSES: Record<string, WaStatus> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  // A voice note was played: it was read, and receipts have no further step.
  played: 'read',
  failed: 'failed',
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined
/** A scalar as text; objects and arrays are only named (String() of a deeply nested array overflows). */
const scalarText = (value: unknown): string =>
  value !== null && typeof value === 'object'
    ? `(${Array.isArray(value) ? 'array' : 'object'})`
    : String(value)
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
const isWamid = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 512

/** A uuid derived from `name` (SHA-256, shaped as an RFC 4122 v5-style uuid). */
export function derivedUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex')
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** Our message id for a customer's wamid: the same however often the message is delivered. */
export const messageIdFor = (wamid: string) => derivedUuid(`wa-message:${wamid}`) as MessageId
/** Our media id for the file of a customer's message. */
export const mediaIdFor = (wamid: string) => derivedUuid(`wa-media:${wamid}`)

/** WhatsApp timestamps are Unix seconds as strings. */
export function timestampMs(value: unknown, fallback: number): number {
  const seconds =
    typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : NaN
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : fallback
}

/** The sender of `from` among `value.contacts`: wa_id first, the business-scoped user_id second. */
export function senderOf(from: string | undefined, contacts: unknown[]): InboundSender {
  const entries = contacts.filter(isObject)
  const entry =
    entries.find((c) => from !== undefined && (c.wa_id === from || c.user_id === from)) ??
    (entries.length === 1 ? entries[0] : undefined)
  const entryWaId = str(entry?.wa_id)
  const entryUserId = str(entry?.user_id)
  const waId = entryWaId ?? (from && /^\d+$/.test(from) && from !== entryUserId ? from : null)
  const userId = entryUserId ?? (!waId && from ? from : null)
  const profile = entry?.profile
  const profileName = isObject(profile) ? (str(profile.name)?.trim() ?? null) : null
  return { identity: { waId, userId }, profileName: profileName || null }
}

/** Parses one webhook delivery (already JSON-parsed) into operations, in delivery order. */
export function parseWebhook(payload: unknown, options: ParseOptions): ParseResult {
  const ops: InboundOp[] = []
  const notes: string[] = []
  if (!isObject(payload) || payload.object !== 'whatsapp_business_account') {
    notes.push('not a whatsapp_business_account delivery')
    return { ops, notes }
  }
  for (const entry of list(payload.entry)) {
    if (!isObject(entry)) continue
    for (const change of list(entry.changes)) {
      if (!isObject(change) || !isObject(change.value)) continue
      if (change.field !== 'messages') {
        notes.push(`change field ${scalarText(change.field).slice(0, 40)} ignored`)
        continue
      }
      parseChange(change.value, options, ops, notes)
    }
  }
  return { ops, notes }
}

function parseChange(value: Json, options: ParseOptions, ops: InboundOp[], notes: string[]): void {
  const phoneNumberId = isObject(value.metadata) ? str(value.metadata.phone_number_id) : undefined
  if (!phoneNumberId) {
    notes.push('change without metadata.phone_number_id skipped')
    return
  }
  if (options.phoneNumberId && phoneNumberId !== options.phoneNumberId) {
    notes.push('change for another phone number id skipped')
    return
  }
  const contacts = list(value.contacts)
  for (const raw of list(value.messages)) {
    const op = isObject(raw) ? parseMessage(raw, contacts, options.receivedAt) : null
    if (op) ops.push(op)
    else notes.push('message without an id skipped')
  }
  for (const raw of list(value.statuses)) {
    const op = isObject(raw) ? parseStatus(raw, options.receivedAt) : null
    if (op) ops.push(op)
    else
      notes.push(
        `status skipped: ${isObject(raw) ? scalarText(raw.status).slice(0, 20) : 'not an object'}`,
      )
  }
  for (const error of list(value.errors)) {
    if (isObject(error)) notes.push(`delivery error ${scalarText(error.code)}`)
  }
}

function parseMessage(raw: Json, contacts: unknown[], receivedAt: number): InboundOp | null {
  const wamid = raw.id
  if (!isWamid(wamid)) return null
  const sender = senderOf(str(raw.from), contacts)
  const at = timestampMs(raw.timestamp, receivedAt)
  const type = str(raw.type) ?? 'unknown'

  if (type === 'reaction' && isObject(raw.reaction) && isWamid(raw.reaction.message_id)) {
    const emoji = str(raw.reaction.emoji) ?? null
    return { kind: 'reaction', sender, wamid, at, targetWamid: raw.reaction.message_id, emoji }
  }
  const amend = amendmentOf(type, raw)
  if (amend) return { kind: 'amend', sender, wamid, at, ...amend }
  const identity = type === 'system' && isObject(raw.system) ? identityChange(raw.system) : null
  if (identity) return { kind: 'identity', sender, wamid, at, ...identity }
  const { fields, media } = messageFields(wamid, type, raw)
  const message = {
    id: messageIdFor(wamid),
    kind: 'customer',
    waMessageId: wamid,
    createdAt: at,
    ...fields,
  } as CustomerMessageDraft
  // Any type may come forwarded, or from an ad.
  if (isObject(raw.context)) {
    if (raw.context.frequently_forwarded === true) message.forwarded = 'frequently_forwarded'
    else if (raw.context.forwarded === true) message.forwarded = 'forwarded'
  }
  const referral = isObject(raw.referral) ? referralOf(raw.referral) : null
  if (referral) message.referral = referral
  const context = isObject(raw.context) ? str(raw.context.id) : undefined
  return { kind: 'message', sender, wamid, at, quotedWamid: context ?? null, message, media }
}

/**
 * `edit` (`edit: {original_message_id, message: {type, text | image | video | document…}}`) and
 * `revoke` (`revoke: {original_message_id}`), as the Cloud API reference gives them. An edit whose
 * new text cannot be read is no amendment: it stays visible as an unsupported message.
 */
function amendmentOf(
  type: string,
  raw: Json,
): { targetWamid: string; edit: { text: string } | null } | null {
  const body = raw[type]
  if (!isObject(body) || !isWamid(body.original_message_id)) return null
  if (type === 'revoke') return { targetWamid: body.original_message_id, edit: null }
  if (type !== 'edit' || !isObject(body.message)) return null
  const message = body.message
  const kind = str(message.type) ?? (isObject(message.text) ? 'text' : undefined)
  const content = kind ? message[kind] : undefined
  if (!isObject(content)) return null
  const text = kind === 'text' ? content.body : content.caption
  if (typeof text !== 'string') return null
  return { targetWamid: body.original_message_id, edit: { text } }
}

const NUMBER_CHANGES = new Set(['user_changed_number', 'customer_changed_number'])

/**
 * `system` identity changes. `user_changed_number`: `wa_id` is the new number (before v12 it was
 * `new_wa_id`, and the type `customer_changed_number`), `user_id` the new business-scoped id when
 * given. `user_changed_user_id`: only the business-scoped id changed. Anything else is not one.
 */
function identityChange(
  system: Json,
): { newWaId: string | null; newUserId: string | null; previousUserId: string | null } | null {
  const type = str(system.type)
  const newUserId = str(system.user_id) ?? null
  const previousUserId = str(system.previous_user_id) ?? null
  if (type && NUMBER_CHANGES.has(type)) {
    const waId = str(system.wa_id) ?? str(system.new_wa_id) ?? scalarDigits(system.new_wa_id)
    if (!waId || !/^\d{6,15}$/.test(waId)) return null
    return { newWaId: waId, newUserId, previousUserId }
  }
  if (type === 'user_changed_user_id' && newUserId) {
    return { newWaId: null, newUserId, previousUserId }
  }
  return null
}

const scalarDigits = (value: unknown): string | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : undefined

type Fields = Pick<CustomerMessage, 'type' | 'text'> &
  Partial<
    Pick<
      CustomerMessage,
      | 'media'
      | 'location'
      | 'contacts'
      | 'choice'
      | 'order'
      | 'flow'
      | 'originalType'
      | 'unsupportedType'
      | 'raw'
    >
  >

/** Longest raw message kept on an unsupported message. */
export const MAX_RAW_CHARS = 16 * 1024

/** The documented CustomerMessage fields of one WhatsApp message type. */
export function messageFields(
  wamid: string,
  type: string,
  raw: Json,
): { fields: Fields; media: MediaDownload | null } {
  const body = raw[type]
  if (type === 'text' && isObject(body) && typeof body.body === 'string') {
    return { fields: { type: 'text', text: body.body }, media: null }
  }
  if (MEDIA_KINDS.has(type) && isObject(body) && str(body.id)) {
    return mediaFields(wamid, type as MediaKind, body)
  }
  if (
    type === 'location' &&
    isObject(body) &&
    isFiniteNumber(body.latitude) &&
    isFiniteNumber(body.longitude)
  ) {
    const location: LocationPayload = {
      latitude: Number(body.latitude),
      longitude: Number(body.longitude),
    }
    if (str(body.name)) location.name = str(body.name)
    if (str(body.address)) location.address = str(body.address)
    return {
      fields: { type: 'location', text: '', location },
      media: null,
    }
  }
  if (type === 'contacts' && Array.isArray(body) && body.length > 0) {
    const contacts = body.filter(isObject).map(sharedContact)
    return {
      fields: { type: 'contacts', text: '', contacts },
      media: null,
    }
  }
  if (type === 'interactive' && isObject(body)) {
    const kind = str(body.type)
    const reply = kind ? body[kind] : undefined
    if ((kind === 'button_reply' || kind === 'list_reply') && isObject(reply)) {
      const choice: NonNullable<CustomerMessage['choice']> = {
        id: scalarText(reply.id ?? ''),
        title: scalarText(reply.title ?? ''),
      }
      const description = str(reply.description)
      if (kind === 'list_reply' && description) choice.description = description
      return { fields: { type: 'interactive', text: choice.title, choice }, media: null }
    }
    if (kind === 'nfm_reply' && isObject(reply) && typeof reply.response_json === 'string') {
      const flow = flowReply(reply, reply.response_json)
      return { fields: { type: 'interactive', text: '', flow }, media: null }
    }
    return unsupported(`interactive:${kind ?? 'unknown'}`, raw)
  }
  if (type === 'order' && isObject(body)) {
    const order = orderOf(body)
    if (order) return { fields: { type: 'order', text: order.note ?? '', order }, media: null }
  }
  if (type === 'button' && isObject(body)) {
    const choice = { id: scalarText(body.payload ?? ''), title: scalarText(body.text ?? '') }
    return { fields: { type: 'button', text: choice.title, choice }, media: null }
  }
  return unsupported(type, raw)
}

function mediaFields(
  wamid: string,
  kind: MediaKind,
  body: Json,
): { fields: Fields; media: MediaDownload } {
  const mimeType = str(body.mime_type) ?? DEFAULT_MIME[kind]
  const ref: MediaRef = { mediaId: mediaIdFor(wamid), mimeType }
  const fileName = str(body.filename)
  const caption = str(body.caption)
  const sha256 = str(body.sha256)
  if (fileName) ref.fileName = fileName
  if (caption) ref.caption = caption
  if (sha256) ref.sha256 = sha256
  if (body.voice === true) ref.voice = true
  if (body.animated === true) ref.animated = true
  const media: MediaDownload = {
    mediaId: ref.mediaId,
    waMediaId: scalarText(body.id),
    kind,
    mimeType,
    fileName: fileName ?? null,
    sha256: sha256 ?? null,
  }
  return {
    fields: { type: kind as CustomerMessageType, text: caption ?? '', media: ref },
    media,
  }
}

function sharedContact(raw: Json): SharedContact {
  const name = isObject(raw.name)
    ? (str(raw.name.formatted_name) ??
      [str(raw.name.first_name), str(raw.name.last_name)].filter(Boolean).join(' '))
    : ''
  const phones = list(raw.phones)
    .filter(isObject)
    .map((phone) => str(phone.phone) ?? str(phone.wa_id))
    .filter((phone): phone is string => phone !== undefined)
  return { name, phones }
}

/**
 * What we cannot show as its own type stays visible: the type as received, WhatsApp's own name
 * for what the customer sent (`unsupported.type`) and the message as it came (cut at 16 KiB).
 */
function unsupported(originalType: string, raw: Json): { fields: Fields; media: null } {
  const system = raw.system
  const unsupportedType = isObject(raw.unsupported) ? str(raw.unsupported.type) : undefined
  // WhatsApp's own sentence of a system message; readers word the rest from the type.
  const text = originalType === 'system' && isObject(system) ? (str(system.body) ?? '') : ''
  const fields: Fields = { type: 'unsupported', text, originalType, raw: rawText(raw) }
  if (unsupportedType) fields.unsupportedType = unsupportedType.slice(0, 100)
  return { fields, media: null }
}

function rawText(raw: Json): string {
  let text: string
  try {
    text = JSON.stringify(raw)
  } catch {
    return '(unreadable)'
  }
  return text.length > MAX_RAW_CHARS ? text.slice(0, MAX_RAW_CHARS - 1) + '…' : text
}

/** Numbers as the reference writes them, or as strings (some senders quote them). */
function numberOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN
  return Number.isFinite(n) ? n : undefined
}

/** `order`: its catalog, the lines that can be read, the customer's note; null with no line. */
function orderOf(body: Json): OrderPayload | null {
  const items: OrderItem[] = []
  for (const raw of list(body.product_items)) {
    if (!isObject(raw)) continue
    const quantity = numberOf(raw.quantity)
    const itemPrice = numberOf(raw.item_price)
    if (quantity === undefined || itemPrice === undefined) continue
    items.push({
      productRetailerId: scalarText(raw.product_retailer_id ?? ''),
      quantity,
      itemPrice,
      currency: str(raw.currency) ?? '',
    })
  }
  if (items.length === 0) return null
  const order: OrderPayload = { catalogId: scalarText(body.catalog_id ?? ''), items }
  const note = str(body.text)
  if (note) order.note = note
  return order
}

/**
 * `nfm_reply`: `response_json` is a JSON object inside a string. Its fields become a list (nested
 * values as JSON); when it cannot be read, the message keeps the raw text and says so.
 */
function flowReply(reply: Json, responseJson: string): FlowReply {
  const flow: FlowReply = {
    name: str(reply.name) ?? '',
    body: str(reply.body) ?? '',
    fields: [],
    responseJson: responseJson.slice(0, MAX_RAW_CHARS),
  }
  let answer: unknown
  try {
    answer = JSON.parse(responseJson)
  } catch {
    answer = undefined
  }
  if (!isObject(answer)) {
    flow.malformed = true
    return flow
  }
  for (const [name, value] of Object.entries(answer)) {
    if (name === 'flow_token') continue
    const text =
      typeof value === 'string'
        ? value
        : value !== null && typeof value === 'object'
          ? JSON.stringify(value)
          : String(value)
    flow.fields.push({ name, value: text })
  }
  return flow
}

const REFERRAL_FIELDS = {
  sourceId: 'source_id',
  sourceUrl: 'source_url',
  headline: 'headline',
  body: 'body',
  mediaType: 'media_type',
  imageUrl: 'image_url',
  videoUrl: 'video_url',
  thumbnailUrl: 'thumbnail_url',
  ctwaClid: 'ctwa_clid',
} as const satisfies Record<Exclude<keyof Referral, 'sourceType'>, string>

/** `referral` (a click-to-WhatsApp ad or post): what it says, when it names anything. */
function referralOf(raw: Json): Referral | null {
  const referral: Referral = { sourceType: str(raw.source_type)?.slice(0, 40) ?? 'unknown' }
  let named = raw.source_type !== undefined
  for (const [field, key] of Object.entries(REFERRAL_FIELDS)) {
    const value = str(raw[key])
    if (value) {
      referral[field as keyof typeof REFERRAL_FIELDS] = value.slice(0, 2048)
      named = true
    }
  }
  return named ? referral : null
}

function parseStatus(raw: Json, receivedAt: number): InboundOp | null {
  const wamid = raw.id
  const status = typeof raw.status === 'string' ? STATUSES[raw.status] : undefined
  if (!isWamid(wamid) || !status) return null
  const at = timestampMs(raw.timestamp, receivedAt)
  // `pricing.category` (v18+: `service`, `marketing`, `utility`, `authentication`…) and
  // `conversation.origin.type`, both kept as WhatsApp names them (short, never a number or text).
  const pricing = isObject(raw.pricing) ? raw.pricing : undefined
  const conversation = isObject(raw.conversation) ? raw.conversation : undefined
  const origin = conversation && isObject(conversation.origin) ? conversation.origin : undefined
  return {
    kind: 'status',
    wamid,
    status,
    at,
    error: status === 'failed' ? failureReason(raw) : null,
    billing: {
      category: str(pricing?.category)?.slice(0, 60) ?? null,
      origin: str(origin?.type)?.slice(0, 60) ?? null,
    },
  }
}

/** What an agent reads next to a failed message: our wording when the code is known. */
export function failureReason(raw: Json): string {
  const error = list(raw.errors).find(isObject)
  if (!error) return 'WhatsApp could not deliver the message'
  const code = typeof error.code === 'number' ? error.code : Number(error.code)
  const details = isObject(error.error_data) ? str(error.error_data.details) : undefined
  const message = details ?? str(error.message) ?? str(error.title) ?? ''
  return new GraphError(Number.isFinite(code) ? code : 0, message, null).readable
}

function isFiniteNumber(value: unknown): boolean {
  return (typeof value === 'number' || typeof value === 'string') && Number.isFinite(Number(value))
}
