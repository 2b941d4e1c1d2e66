import type { Actor } from '../model/agent.js'
import { isUuid } from '../model/ids.js'
import {
  CLIENT_MESSAGE_KINDS,
  MAX_NOTE_LENGTH,
  MAX_REPLY_LENGTH,
  type AgentMessage,
  type NoteMessage,
} from '../model/message.js'

/** How far ahead of the server's clock a client's `createdAt` may be (clock skew). */
export const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000
const EARLIEST = Date.UTC(2020, 0, 1)
const MAX_MENTIONS = 50

const ALLOWED_KEYS: Record<(typeof CLIENT_MESSAGE_KINDS)[number], ReadonlySet<string>> = {
  agent: new Set(['id', 'kind', 'authorId', 'text', 'createdAt', 'replyTo']),
  note: new Set(['id', 'kind', 'authorId', 'text', 'createdAt', 'replyTo', 'mentions']),
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * Checks a message an agent's client wants to append. Returns null when it may, else the reason.
 * Agents write replies (`agent`) and internal notes (`note`) in their own name only; everything
 * else (customer messages, events, media and templates, which need the server's upload and send
 * path) comes from the server.
 */
export function clientMessageProblem(value: unknown, actor: Actor, now: number): string | null {
  if (!isPlainObject(value)) return 'a message must be a plain object'
  const kind = value.kind
  if (kind !== 'agent' && kind !== 'note') return `clients may not write '${String(kind)}' messages`
  for (const key of Object.keys(value)) {
    if (!ALLOWED_KEYS[kind].has(key)) return `unexpected field '${key}' in a ${kind} message`
  }
  if (!isUuid(value.id)) return 'message id must be a uuid'
  if (value.authorId !== actor.id) return 'messages must be written in the author’s own name'
  if (typeof value.text !== 'string' || value.text.trim() === '') return 'message text is required'
  const max = kind === 'agent' ? MAX_REPLY_LENGTH : MAX_NOTE_LENGTH
  if (value.text.length > max) return `message text is longer than ${max} characters`
  const createdAt = value.createdAt
  if (typeof createdAt !== 'number' || !Number.isSafeInteger(createdAt))
    return 'createdAt must be ms epoch'
  if (createdAt < EARLIEST || createdAt > now + MAX_CLOCK_SKEW_MS)
    return 'createdAt is out of range'
  if (value.replyTo !== undefined && !isUuid(value.replyTo)) return 'replyTo must be a message id'
  if (kind === 'note' && value.mentions !== undefined) {
    const mentions = value.mentions
    if (!Array.isArray(mentions) || mentions.length > MAX_MENTIONS || !mentions.every(isUuid)) {
      return 'mentions must be a list of agent ids'
    }
  }
  return null
}

/** Type guard form of {@link clientMessageProblem}. */
export function isValidClientMessage(
  value: unknown,
  actor: Actor,
  now: number,
): value is AgentMessage | NoteMessage {
  return clientMessageProblem(value, actor, now) === null
}
