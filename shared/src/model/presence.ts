/**
 * Presence: what one browser tab tells the team over a document's awareness (y-protocols), and
 * nothing else. The server checks every awareness state a client publishes against
 * {@link PresenceStateSchema} (a state that does not fit closes the socket with 4400 and reaches
 * no peer) and replaces `user.name` with the account's own, so a name shown in presence is the
 * one the server vouches for. The web client builds what it publishes with {@link presenceOf}.
 *
 *   { user: { id, name? }, viewing?: <conversation id> | null,
 *     typing?: { conversationId, mode: 'reply' | 'note' } | null }
 *
 * The empty state `{}` is allowed too: it is what the stock y-websocket client publishes before
 * anyone sets a presence (it says who is connected, nothing about them).
 */
import * as v from 'valibot'
import { isUuid } from './ids.js'

/** Longest agent name (the API refuses longer ones). */
export const PRESENCE_NAME_MAX = 100

export const TYPING_MODES = ['reply', 'note'] as const
export type TypingMode = (typeof TYPING_MODES)[number]

const Id = v.custom<string>(isUuid, 'must be a uuid')

const PresenceUserSchema = v.strictObject({
  id: Id,
  name: v.optional(v.pipe(v.string(), v.maxLength(PRESENCE_NAME_MAX))),
})

const TypingSchema = v.strictObject({
  conversationId: Id,
  mode: v.picklist(TYPING_MODES),
})

/** Who (the signed-in agent), which conversation they view, where they type: nothing else. */
export const PresenceStateSchema = v.strictObject({
  user: PresenceUserSchema,
  viewing: v.optional(v.nullable(Id)),
  typing: v.optional(v.nullable(TypingSchema)),
})

export type PresenceState = v.InferOutput<typeof PresenceStateSchema>
export type PresenceUser = PresenceState['user']
export type TypingPresence = NonNullable<PresenceState['typing']>

/** What an awareness state may be: a presence, the stock client's empty state, or none. */
export type CheckedPresence =
  { ok: true; state: PresenceState | Record<string, never> | null } | { ok: false; reason: string }

/**
 * Checks one awareness state against the presence schema. `null` (the tab left) and `{}` (the stock
 * client's initial state) pass; anything else must be a {@link PresenceState}, no field more.
 */
export function checkPresence(state: unknown): CheckedPresence {
  if (state === null) return { ok: true, state: null }
  if (
    typeof state === 'object' &&
    !Array.isArray(state) &&
    Object.keys(state as object).length === 0
  ) {
    return { ok: true, state: {} }
  }
  const result = v.safeParse(PresenceStateSchema, state)
  if (result.success) return { ok: true, state: result.output }
  const issue = result.issues[0]
  const path = issue ? v.getDotPath(issue) : null
  return {
    ok: false,
    reason: `presence ${path ?? 'state'}: ${issue?.message ?? 'does not fit'}`,
  }
}

/** A presence state as one published by another tab (not `{}` or garbage), else null. */
export function readPresence(state: unknown): PresenceState | null {
  if (state === null || typeof state !== 'object') return null
  const result = v.safeParse(PresenceStateSchema, state)
  return result.success ? result.output : null
}

/**
 * The presence a client publishes: always fits {@link PresenceStateSchema}. Anything that would not
 * (a conversation id that is not one, an over-long name) is left out rather than sent, since the
 * server would close the socket for it. Null when `user.id` itself is not an agent id.
 */
export function presenceOf(input: {
  user: { id: string; name?: string }
  viewing: string | null
  typing: { conversationId: string; mode: TypingMode } | null
}): PresenceState | null {
  if (!isUuid(input.user.id)) return null
  const user: PresenceUser = { id: input.user.id }
  if (input.user.name !== undefined) user.name = input.user.name.slice(0, PRESENCE_NAME_MAX)
  const typing = input.typing
  return {
    user,
    viewing: isUuid(input.viewing) ? input.viewing : null,
    typing:
      typing && isUuid(typing.conversationId) && TYPING_MODES.includes(typing.mode)
        ? { conversationId: typing.conversationId, mode: typing.mode }
        : null,
  }
}
