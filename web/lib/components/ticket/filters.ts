import { isTicketStatus, isUuid, type TicketStatus } from '@atende/shared'

/** The ticket list's filters, as the page's URL carries them (`?status=&assignee=&q=`). */
export interface TicketFilterValues {
  status: TicketStatus | ''
  /** '' anyone, 'me', 'none', or an agent id. */
  assignee: string
  q: string
}

/** The filters in a URL; anything not understood reads as "any". */
export function filtersFromUrl(url: URL): TicketFilterValues {
  const status = url.searchParams.get('status') ?? ''
  const assignee = url.searchParams.get('assignee') ?? ''
  return {
    status: isTicketStatus(status) ? status : '',
    assignee: assignee === 'me' || assignee === 'none' || isUuid(assignee) ? assignee : '',
    q: (url.searchParams.get('q') ?? '').slice(0, 200),
  }
}

/** The query string for the filters (set ones only), without `?`. */
export function filtersQuery(filters: TicketFilterValues): string {
  const params = new URLSearchParams()
  if (filters.status) params.set('status', filters.status)
  if (filters.assignee) params.set('assignee', filters.assignee)
  if (filters.q.trim()) params.set('q', filters.q.trim())
  return params.toString()
}
