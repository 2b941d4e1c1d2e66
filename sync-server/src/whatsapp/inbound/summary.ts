/**
 * The readable `text` of customer messages that carry no text of their own (a photo without a
 * caption, a location, a shared contact): what the inbox preview shows. The bubble renders from the
 * typed fields; this is the fallback wording.
 */
import {
  flowFieldLabel,
  orderTotals,
  type FlowReply,
  type LocationPayload,
  type MediaRef,
  type OrderPayload,
  type SharedContact,
} from '@atende/shared'
import type { MediaKind } from '../../store/media.js'

const MEDIA_LABEL: Record<MediaKind, string> = {
  image: 'Photo',
  video: 'Video',
  audio: 'Audio',
  document: 'Document',
  sticker: 'Sticker',
}

/** Longest preview kept on an inbox card. */
export const PREVIEW_LENGTH = 200

export const summarize = {
  media(kind: MediaKind, ref: MediaRef): string {
    if (ref.caption) return ref.caption
    if (kind === 'audio' && ref.voice) return 'Voice message'
    if (kind === 'document' && ref.fileName) return ref.fileName
    return MEDIA_LABEL[kind]
  },
  location(location: LocationPayload): string {
    const place = [location.name, location.address].filter(Boolean).join(', ')
    return place ? `Location: ${place}` : 'Location'
  },
  contacts(contacts: SharedContact[]): string {
    const names = contacts.map((contact) => contact.name).filter(Boolean)
    return names.length > 0 ? `Contact: ${names.join(', ')}` : 'Contact'
  },
  /** `Order: 3 items, USD 116.00 – <note>` */
  order(order: OrderPayload): string {
    const count = order.items.reduce((sum, item) => sum + item.quantity, 0)
    const totals = orderTotals(order)
      .map((total) => `${total.currency} ${total.amount.toFixed(2)}`)
      .join(' + ')
    const head = `Order: ${count} ${count === 1 ? 'item' : 'items'}${totals ? `, ${totals}` : ''}`
    return order.note ? `${head} – ${order.note}` : head
  },
  /** `Form answer: Name: Ana; Date: 2026-12-07` */
  flow(flow: FlowReply): string {
    const fields = flow.fields
      .map((field) => `${flowFieldLabel(field.name)}: ${field.value}`)
      .join('; ')
    return fields ? `Form answer: ${fields}` : `Form answer: ${flow.body || flow.name}`
  },
  /** What an `unsupported` message with `unsupported.type` says the customer did. */
  notDelivered(type: string): string {
    return `The customer sent a ${type}, which WhatsApp does not deliver to the API`
  },
  unsupported(originalType: string): string {
    return originalType === 'unsupported' || originalType === 'unknown'
      ? 'Unsupported message'
      : `Unsupported message (${originalType})`
  },
}

/** A one-line preview for an inbox card. */
export function preview(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > PREVIEW_LENGTH ? line.slice(0, PREVIEW_LENGTH - 1) + '…' : line
}
