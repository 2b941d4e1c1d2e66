import type { InboxSummary } from '@atende/shared'

/** Which conversations the list shows. */
export const INBOX_VIEWS = ['all', 'mine', 'unassigned'] as const
export type InboxView = (typeof INBOX_VIEWS)[number]

export const INBOX_SORTS = ['newest', 'oldest'] as const
export type InboxSort = (typeof INBOX_SORTS)[number]

export interface InboxQuery {
  view: InboxView
  sort: InboxSort
  /** Free text: part of the contact's name (any case and accents) or of their number. */
  search: string
}

/** Lower case, accents dropped: "José" and "jose" match. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

// Summaries are immutable (replaced whole on change), so their folded text can be kept per object.
const folded = new WeakMap<InboxSummary, { name: string; digits: string }>()

function searchKeys(conversation: InboxSummary): { name: string; digits: string } {
  let keys = folded.get(conversation)
  if (!keys) {
    keys = {
      name: foldText(conversation.contactName),
      digits: conversation.phone.replace(/\D/g, ''),
    }
    folded.set(conversation, keys)
  }
  return keys
}

/** A predicate for the search box: by name, or by phone when the text has digits. */
export function searchMatcher(search: string): (conversation: InboxSummary) => boolean {
  const text = foldText(search.trim())
  if (text === '') return () => true
  const digits = text.replace(/\D/g, '')
  // "+55 11 9876" or "(11) 98765-4321": a number, compared digits to digits.
  const looksLikeNumber = digits.length > 0 && /^[\d\s()+.-]+$/.test(text)
  return (conversation) => {
    const keys = searchKeys(conversation)
    if (looksLikeNumber) return keys.digits.includes(digits)
    return keys.name.includes(text)
  }
}

/**
 * The list as shown: `conversations` (newest first, see `sortInbox`) narrowed to the view and the
 * search, reversed for oldest first. Returns the input array itself when nothing narrows it.
 */
export function applyInboxQuery(
  conversations: readonly InboxSummary[],
  query: InboxQuery,
  agentId: string,
): readonly InboxSummary[] {
  const matches = searchMatcher(query.search)
  const narrowed = query.view !== 'all' || query.search.trim() !== ''
  const shown = narrowed
    ? conversations.filter(
        (c) =>
          (query.view === 'all' ||
            (query.view === 'mine' ? c.assigneeId === agentId : c.assigneeId === null)) &&
          matches(c),
      )
    : conversations
  return query.sort === 'oldest' ? [...shown].reverse() : shown
}
