import type { CustomerMessage, Message } from './message.js'

/**
 * What a customer did to one of their messages afterwards, in the conversation doc's `amendments`
 * map (server only), keyed by the message's id. Messages stay immutable: readers lay the amendment
 * over the message (`amendedMessage`), so every earlier version is kept and nothing is rewritten.
 */
export interface MessageAmendment {
  /** WhatsApp `edit`s, oldest first by WhatsApp time; the last one is the text shown. */
  edits?: MessageEdit[]
  /** WhatsApp `revoke`: the customer deleted the message for everyone (ms epoch). */
  revokedAt?: number
}

export interface MessageEdit {
  /** The new text, or the new caption of a photo, video or document. */
  text: string
  /** When the customer edited (WhatsApp `timestamp`, ms). */
  at: number
  /** The wamid of the edit webhook's message (one edit is kept once however often it comes). */
  waMessageId: string
}

/** One version of a message's text, for the "Edited" history. */
export interface MessageVersion {
  text: string
  /** When this version was written (the message's time for the original). */
  at: number
}

/** A customer message with its amendment laid over it. */
export type AmendedMessage = CustomerMessage & {
  /** Earlier versions, oldest first (the original first), when the customer edited it. */
  earlierVersions?: MessageVersion[]
  editedAt?: number
  revokedAt?: number
}

/** Adds an edit (sorted by time, once per wamid); returns the amendment to store, or null if unchanged. */
export function withEdit(
  current: MessageAmendment | undefined,
  edit: MessageEdit,
): MessageAmendment | null {
  const edits = current?.edits ?? []
  if (edits.some((known) => known.waMessageId === edit.waMessageId)) return null
  const next = [...edits, edit].sort((a, b) => a.at - b.at)
  return { ...current, edits: next }
}

/** Marks the message deleted by the customer; null when it already is. */
export function withRevoke(
  current: MessageAmendment | undefined,
  at: number,
): MessageAmendment | null {
  if (current?.revokedAt !== undefined) return null
  return { ...current, revokedAt: at }
}

/**
 * The message as agents see it: the latest edit's text (and caption) in place, the earlier
 * versions listed, the revoke marked. Other messages, and messages without an amendment, as they are.
 */
export function amendedMessage(
  message: Message,
  amendment: MessageAmendment | undefined,
): Message | AmendedMessage {
  if (!amendment || message.kind !== 'customer') return message
  const amended: AmendedMessage = { ...message }
  const edits = amendment.edits ?? []
  const latest = edits[edits.length - 1]
  if (latest) {
    const original = message.media ? (message.media.caption ?? '') : message.text
    amended.earlierVersions = [
      { text: original, at: message.createdAt },
      ...edits.slice(0, -1).map((edit) => ({ text: edit.text, at: edit.at })),
    ]
    amended.editedAt = latest.at
    amended.text = latest.text
    if (message.media) amended.media = { ...message.media, caption: latest.text }
  }
  if (amendment.revokedAt !== undefined) amended.revokedAt = amendment.revokedAt
  return amended
}
