/**
 * Readable text, in the reader's language, of the customer messages that carry structure: an order,
 * a flow answer, a list row with its description, what WhatsApp would not deliver. The bubbles
 * show these in full; the transcript (and anything else that shows one line per message) reads
 * them from here, falling back to the server's English `text` for every other message.
 */
import {
  flowFieldLabel,
  orderTotals,
  type CustomerMessage,
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
