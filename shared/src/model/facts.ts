import type { AmendedMessage } from './amendment.js'
import { orderTotals, type CustomerMessage, type CustomerMessageType } from './message.js'

/** Longest list of names (shared contacts, flow fields) a preview keeps. */
const MAX_LISTED = 5

/**
 * What a one-line preview of a customer message says, as facts rather than words: the type and
 * the few fields a line names (place, file name, counts). The server stores these on inbox cards;
 * each reader's screen turns them into words in its own language. The customer's own words (a
 * caption, a text) travel beside them as the card's text.
 */
export interface MessageFacts {
  type: CustomerMessageType
  voice?: boolean
  fileName?: string
  /** `location`: name and address, as WhatsApp gave them. */
  place?: string
  /** `contacts`: the shared contacts' names. */
  names?: string[]
  /** `order`: how many items, and the total per currency. */
  items?: number
  totals?: Array<{ currency: string; amount: number }>
  /** An interactive Flow answer (`nfm_reply`): its fields' names and values. */
  flow?: boolean
  fields?: Array<{ name: string; value: string }>
  /** `unsupported`: the type as received, and what WhatsApp says was sent. */
  originalType?: string
  unsupportedType?: string
  /** The customer edited the message, or deleted it for everyone. */
  edited?: boolean
  revoked?: boolean
}

/** The facts of a (possibly amended) customer message's preview. */
export function factsOf(message: CustomerMessage | AmendedMessage): MessageFacts {
  const facts: MessageFacts = { type: message.type }
  if (message.media?.voice) facts.voice = true
  if (message.media?.fileName) facts.fileName = message.media.fileName
  if (message.location) {
    const place = [message.location.name, message.location.address].filter(Boolean).join(', ')
    if (place) facts.place = place
  }
  if (message.contacts) {
    facts.names = message.contacts
      .map((contact) => contact.name)
      .filter(Boolean)
      .slice(0, MAX_LISTED)
  }
  if (message.order) {
    facts.items = message.order.items.reduce((sum, item) => sum + item.quantity, 0)
    facts.totals = orderTotals(message.order)
  }
  if (message.flow) {
    facts.flow = true
    facts.fields = message.flow.fields
      .slice(0, MAX_LISTED)
      .map((field) => ({ name: field.name, value: field.value.slice(0, 100) }))
  }
  if (message.originalType) facts.originalType = message.originalType
  if (message.unsupportedType) facts.unsupportedType = message.unsupportedType
  const amended = message as AmendedMessage
  if (amended.editedAt !== undefined) facts.edited = true
  if (amended.revokedAt !== undefined) facts.revoked = true
  return facts
}

/**
 * The customer's own words in a message, for the preview text beside its facts: the text, the
 * caption, the button or list row picked, the note with an order. Empty when they wrote none.
 */
export function ownWordsOf(message: CustomerMessage): string {
  switch (message.type) {
    case 'text':
      return message.text
    case 'image':
    case 'video':
    case 'document':
    case 'audio':
    case 'sticker':
      return message.media?.caption ?? ''
    case 'interactive':
    case 'button':
      return message.flow ? '' : (message.choice?.title ?? message.text)
    case 'order':
      return message.order?.note ?? ''
    case 'unsupported':
      // `system` messages carry WhatsApp's own sentence; nothing else has words.
      return message.originalType === 'system' ? message.text : ''
    default:
      return ''
  }
}
