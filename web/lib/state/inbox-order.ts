import type { InboxSummary } from '@atende/shared'

/**
 * The order of the conversation list: latest activity first; ties broken by id so the order is
 * the same on every client and does not flicker between renders.
 */
export function sortInbox(conversations: readonly InboxSummary[]): InboxSummary[] {
  return [...conversations].sort(
    (a, b) => b.lastMessageAt - a.lastMessageAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )
}
