import { browser } from '$app/environment'
import {
  INBOX_SORTS,
  INBOX_VIEWS,
  type InboxQuery,
  type InboxSort,
  type InboxView,
} from './inbox-filter'

const STORAGE_KEY = 'atende.inbox-filters'

/**
 * The conversation list's view, sort and search, as a rune store. Kept for the tab's life
 * (sessionStorage) rather than in the URL, so opening a conversation does not have to carry them
 * along and a reload keeps them.
 */
class InboxFilters implements InboxQuery {
  view = $state<InboxView>('all')
  sort = $state<InboxSort>('newest')
  search = $state('')

  constructor() {
    if (!browser) return
    try {
      const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<InboxQuery>
      if (INBOX_VIEWS.includes(saved?.view as InboxView)) this.view = saved.view!
      if (INBOX_SORTS.includes(saved?.sort as InboxSort)) this.sort = saved.sort!
      if (typeof saved?.search === 'string') this.search = saved.search
    } catch {
      // Nothing saved, or storage unavailable: the defaults.
    }
    $effect.root(() => {
      $effect(() => {
        const value = JSON.stringify({ view: this.view, sort: this.sort, search: this.search })
        try {
          sessionStorage.setItem(STORAGE_KEY, value)
        } catch {
          // Not kept across a reload, that is all.
        }
      })
    })
  }

  /** Back to everything, newest first. */
  reset(): void {
    this.view = 'all'
    this.sort = 'newest'
    this.search = ''
  }
}

export const inboxFilters = new InboxFilters()
