import { INBOX_DOC, ORIGIN, putInboxEntry, readInboxEntry, type InboxSummary, type Origin } from '@atende/shared'
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
