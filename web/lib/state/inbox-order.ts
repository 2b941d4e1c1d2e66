import type { InboxSummary } from '@atende/shared'

/**
 * The order of the conversation list: latest activity first; ties broken by id so the order is
 * the same on every client and does not flicker between renders.
 */
export function compareInbox(a: InboxSummary, b: InboxSummary): number {
  return b.lastMessageAt - a.lastMessageAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

export function sortInbox(conversations: readonly InboxSummary[]): InboxSummary[] {
  return [...conversations].sort(compareInbox)
}

/** First index whose card sorts at or after `card` (binary search over a sorted list). */
function lowerBound(sorted: readonly InboxSummary[], card: InboxSummary): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (compareInbox(sorted[mid]!, card) < 0) low = mid + 1
    else high = mid
  }
  return low
}

/**
 * Applies changed cards to a sorted list in place, without sorting it again: for each change the
 * old card (as it was, so its old position can be found) comes out and the new one goes in at its
 * place. O(log n) to find each position, plus the splice: on a list of thousands, a new message
 * costs microseconds instead of a full sort.
 */
export function applyInboxChanges(
  sorted: InboxSummary[],
  changes: Iterable<{ before: InboxSummary | undefined; after: InboxSummary | undefined }>,
): void {
  for (const { before, after } of changes) {
    if (before) {
      const at = lowerBound(sorted, before)
      if (sorted[at]?.id === before.id) sorted.splice(at, 1)
      else {
        // Not where its old value says (it should be): find it by id rather than leave a stale card.
        const index = sorted.findIndex((card) => card.id === before.id)
        if (index !== -1) sorted.splice(index, 1)
      }
    }
    if (after) sorted.splice(lowerBound(sorted, after), 0, after)
  }
}
