/**
 * From an agent message in the doc to what the Graph API is sent: the recipient, the quoted wamid
 * and the payload (text, media by uploaded id, or template).
 */
import {
  conversationParts,
  readMeta,
  readReceipt,
  type AgentMessage,
  type MediaRef,
  type Message,
} from '@atende/shared'
import type * as Y from 'yjs'
import type { ContactStore } from '../../store/contacts.js'
import type { OutboundPayload } from '../graph.js'

/**
 * The Graph `to`: the contact's wa_id when the contacts table has it, else the conversation's
 * E.164 phone without its '+'. Null when there is neither.
 */
export function recipientOf(doc: Y.Doc, contacts: Pick<ContactStore, 'get'>): string | null {
  const meta = readMeta(doc)
  const contact = meta.contactId ? contacts.get(meta.contactId) : undefined
  if (contact?.waId) return contact.waId
  const digits = (meta.phone ?? contact?.phone ?? '').replace(/^\+/, '')
  return /^\d{6,15}$/.test(digits) ? digits : null
}

/** The message of that id, searching from the end (new messages are near it). */
export function findMessage(doc: Y.Doc, id: string): Message | undefined {
  const messages = conversationParts(doc).messages
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages.get(i) as Message
    if (message.id === id) return message
  }
  return undefined
}

/**
 * The wamid of the message an agent quotes (`replyTo` is our id): a customer message's own wamid,
 * or the wamid our send of an agent message got. Undefined when it has none (a note, or an agent
 * message not sent yet): the reply then goes out without a quote.
 */
export function quotedWamid(doc: Y.Doc, replyTo: string | undefined): string | undefined {
  if (!replyTo) return undefined
  const quoted = findMessage(doc, replyTo)
  if (quoted?.kind === 'customer') return quoted.waMessageId
  if (quoted?.kind === 'agent') return readReceipt(doc, quoted.id)?.waMessageId
  return undefined
}

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker'

/** Which WhatsApp media type a stored file goes out as. */
export function mediaKindOf(mimeType: string): MediaKind {
  if (mimeType === 'image/webp') return 'sticker'
  if (mimeType.startsWith('image/')) return 'image'
  if (mimeType.startsWith('video/')) return 'video'
  if (mimeType.startsWith('audio/')) return 'audio'
  return 'document'
}

export function textPayload(message: AgentMessage): OutboundPayload {
  return { type: 'text', text: { body: message.text } }
}

/** Template with its body parameters as components (none when it takes no parameter). */
export function templatePayload(template: NonNullable<AgentMessage['template']>): OutboundPayload {
  const components =
    template.params.length > 0
      ? [{ type: 'body', parameters: template.params.map((text) => ({ type: 'text', text })) }]
      : undefined
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language, policy: 'deterministic' },
      ...(components ? { components } : {}),
    },
  }
}

/** Media by uploaded id; no caption on audio or stickers, `voice` only for OGG/Opus voice notes. */
export function mediaPayload(media: MediaRef, graphMediaId: string): OutboundPayload {
  const kind = mediaKindOf(media.mimeType)
  if (kind === 'audio') {
    const voice = media.voice === true && media.mimeType === 'audio/ogg'
    return { type: 'audio', audio: { id: graphMediaId, ...(voice ? { voice: true } : {}) } }
  }
  if (kind === 'sticker') return { type: 'sticker', sticker: { id: graphMediaId } }
  const object = {
    id: graphMediaId,
    ...(media.caption ? { caption: media.caption } : {}),
    ...(kind === 'document' && media.fileName ? { filename: media.fileName } : {}),
  }
  return { type: kind, [kind]: object } as OutboundPayload
}
