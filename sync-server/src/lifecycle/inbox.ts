import {
  conversationParts,
  INBOX_DOC,
  ORIGIN,
  putInboxEntry,
  readInboxEntry,
  type InboxSummary,
  type Message,
  type Origin,
} from '@atende/shared'
import type { DocManager } from '../sync/docs.js'

/**
 * Changes a conversation's card in the inbox doc (server only). The card is a plain object
 * replaced whole, so `change` gets the current card and returns the next one; nothing is written
 * when it returns the same object or the card does not exist.
 */
export function updateInboxEntry(
  docs: DocManager,
  conversationId: string,
  change: (current: InboxSummary) => InboxSummary,
  origin: Origin = ORIGIN.server,
): InboxSummary | undefined {
  const inbox = docs.get(INBOX_DOC)
  const current = readInboxEntry(inbox.doc, conversationId)
  if (!current) return undefined
  const next = change(current)
  if (next !== current) inbox.transact((doc) => putInboxEntry(doc, next, origin), origin)
  return next
}

/**
 * Keeps each card's `lastMessage` current with agent replies (customer messages are written by the
 * WhatsApp intake, which updates the card itself). Notes stay internal and never reach the card.
 */
export function watchAgentReplies(docs: DocManager): () => void {
  return docs.onLoad((shared) => {
    if (shared.name.kind !== 'conversation') return
    const conversationId = shared.name.conversationId
    conversationParts(shared.doc).messages.observe((event) => {
      let latest: Message | null = null
      for (const item of event.changes.added) {
        for (const value of item.content.getContent() as Message[]) {
          if (value.kind === 'agent' && (!latest || value.createdAt >= latest.createdAt))
            latest = value
        }
      }
      if (!latest) return
      const reply = latest
      updateInboxEntry(docs, conversationId, (card) => {
        if (reply.createdAt < card.lastMessageAt) return card
        // An agent's reply is its own words: the customer message's facts no longer apply.
        const { lastMessageFacts: _, ...rest } = card
        return { ...rest, lastMessage: reply.text.slice(0, 200), lastMessageAt: reply.createdAt }
      })
    })
  })
}
