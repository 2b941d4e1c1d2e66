/**
 * The one home of a customer message's words in the reader's language. The server stores facts
 * (the type, a place name, a file name, counts: `MessageFacts`) and the customer's own words; this
 * words them for the inbox card, notifications, the thread's quotes and the ticket transcript.
 * Messages and cards stored before facts were (their `text` a whole English preview) still show
 * that text: a card without facts reads as it is, and a message's own fields win over its text.
 */
import {
  factsOf,
  flowFieldLabel,
  orderTotals,
  type AmendedMessage,
  type CustomerMessage,
  type MessageFacts,
  type OrderPayload,
} from '@atende/shared'
import type { Dictionary, Locale } from '$lib/i18n'

const moneyFormats = new Map<string, Intl.NumberFormat | null>()

/** `R$ 85,50` / `$85.50`; an unknown currency code as `XYZ 85.50`. */
export function formatMoney(amount: number, currency: string, locale: Locale): string {
  const key = `${locale}|${currency}`
  let format = moneyFormats.get(key)
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency })
    } catch {
      format = null // not an ISO 4217 code
    }
    moneyFormats.set(key, format)
  }
  return format ? format.format(amount) : `${currency} ${amount.toFixed(2)}`.trim()
}

/** The order's total(s), e.g. `$85.50` (two currencies joined with +). */
export function orderTotalText(order: OrderPayload, locale: Locale): string {
  return orderTotals(order)
    .map((total) => formatMoney(total.amount, total.currency, locale))
    .join(' + ')
}

/** One line for a customer message of these types, or null to use its `text`. */
export function richMessageLine(
  m: Dictionary,
  locale: Locale,
  message: CustomerMessage,
): string | null {
  if (message.type === 'order' && message.order) {
    const { order } = message
    const items = order.items.reduce((sum, item) => sum + item.quantity, 0)
    const head = m.message.orderSummary(items, orderTotalText(order, locale))
    const lines = order.items.map(
      (item) =>
        `${item.quantity} × ${item.productRetailerId} (${formatMoney(item.itemPrice, item.currency, locale)})`,
    )
    return [head, ...lines, ...(order.note ? [`${m.message.orderNote}: ${order.note}`] : [])].join(
      '\n',
    )
  }
  if (message.flow) {
    const { flow } = message
    if (flow.malformed) return `${m.message.flow}: ${flow.responseJson}`
    const fields = flow.fields.map((field) => `${flowFieldLabel(field.name)}: ${field.value}`)
    return [m.message.flow, ...fields].join('\n')
  }
  if (message.type === 'unsupported' && message.unsupportedType) {
    return m.message.notDelivered(message.unsupportedType)
  }
  if (message.choice?.description) {
    return `${m.message.choice(message.choice.title)} – ${message.choice.description}`
  }
  return null
}

/** `Forwarded` / `Forwarded many times`, or null. */
export function forwardedLabel(m: Dictionary, message: CustomerMessage): string | null {
  if (message.forwarded === 'frequently_forwarded') return m.message.frequentlyForwarded
  if (message.forwarded === 'forwarded') return m.message.forwarded
  return null
}

/**
 * A one-line preview, in the reader's language, from the customer's words and the facts of what
 * they sent; with no facts (a card stored before them, an agent's reply) the text as it is.
 */
export function previewLine(
  m: Dictionary,
  locale: Locale,
  text: string,
  facts: MessageFacts | undefined,
): string {
  if (!facts) return text
  if (facts.revoked) return m.message.deletedByCustomer
  const words = text.trim()
  const line = factsLine(m, locale, facts, words)
  return facts.edited ? `${line} (${m.message.edited.toLocaleLowerCase(locale)})` : line
}

function factsLine(m: Dictionary, locale: Locale, facts: MessageFacts, words: string): string {
  const words_ = m.message
  switch (facts.type) {
    case 'text':
      return words
    case 'image':
      return words || words_.photo
    case 'video':
      return words || words_.video
    case 'sticker':
      return words || words_.sticker
    case 'audio':
      return words || (facts.voice ? words_.voice : words_.audio)
    case 'document':
      return words || facts.fileName || words_.document
    case 'location':
      return facts.place ? words_.locationAt(facts.place) : words_.location
    case 'contacts':
      return facts.names?.length ? words_.contactNamed(facts.names.join(', ')) : words_.contacts
    case 'order': {
      const total = (facts.totals ?? [])
        .map((t) => formatMoney(t.amount, t.currency, locale))
        .join(' + ')
      const head = words_.orderSummary(facts.items ?? 0, total)
      return words ? `${head} – ${words}` : head
    }
    case 'unsupported':
      if (facts.unsupportedType) return words_.notDelivered(facts.unsupportedType)
      // A `system` message's text is WhatsApp's own sentence; other types have no words.
      if (words && facts.originalType === 'system') return words
      return facts.originalType && facts.originalType !== 'unsupported'
        ? words_.unsupported(facts.originalType)
        : words_.unsupportedPlain
    default:
      if (facts.flow) {
        const fields = (facts.fields ?? [])
          .map((field) => `${flowFieldLabel(field.name)}: ${field.value}`)
          .join('; ')
        return fields ? words_.formAnswer(fields) : words_.flow
      }
      return words
  }
}

/**
 * A customer message's line for the transcript and quotes: the full structured text where there
 * is one (an order, a flow), else its preview from its facts; the stored text of messages written
 * before facts were, when its fields say nothing more.
 */
export function messageLine(
  m: Dictionary,
  locale: Locale,
  message: CustomerMessage | AmendedMessage,
): string {
  const rich = richMessageLine(m, locale, message)
  if (rich) return rich
  const own = message.media ? (message.media.caption ?? '') : message.text
  // What it says: an edit or deletion is labelled beside the line by whoever shows it.
  const { edited: _edited, revoked: _revoked, ...facts } = factsOf(message)
  const line = previewLine(m, locale, message.type === 'text' ? message.text : own, facts)
  return line || message.text
}
