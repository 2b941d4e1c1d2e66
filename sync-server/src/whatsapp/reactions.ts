/**
 * Customers' reactions in a conversation doc's `reactions` map, one per (message, customer). The
 * inbound side writes those of a batch; the delivery side those that waited for our send's wamid.
 */
import { conversationParts } from '@atende/shared'
import type * as Y from 'yjs'

/** A reaction as the `reactions` map holds it, under `<messageId>|<contactId>`. */
export interface ReactionEntry {
  messageId: string
  emoji: string
  by: string
  at: number
}

export interface ReactionChange {
  messageId: string
  contactId: string
  /** Null removes the reaction. */
  emoji: string | null
  at: number
}

export const reactionKey = (messageId: string, contactId: string) => `${messageId}|${contactId}`

/** Sets or removes a customer's reaction on a message; no write when nothing changes. */
export function writeReaction(doc: Y.Doc, change: ReactionChange): void {
  const reactions = conversationParts(doc).reactions
  const key = reactionKey(change.messageId, change.contactId)
  const current = reactions.get(key) as ReactionEntry | undefined
  if (change.emoji === null) {
    if (current) reactions.delete(key)
    return
  }
  if (current && current.emoji === change.emoji && current.at === change.at) return
  const entry: ReactionEntry = {
    messageId: change.messageId,
    emoji: change.emoji,
    by: change.contactId,
    at: change.at,
  }
  reactions.set(key, entry)
}
