import {
  isTicketPriority,
  isTicketSort,
  isTicketStatus,
  isUuid,
  type TicketPriority,
  type TicketSort,
  type TicketStatus,
} from '@atende/shared'

/**
 * The ticket list's filters and order, as the page's URL carries them
 * (`?status=&priority=&assignee=&q=&sort=`).
 */
export interface TicketFilterValues {
  status: TicketStatus | ''
  priority: TicketPriority | ''
  /** '' anyone, 'me', 'none', or an agent id. */
  assignee: string
  q: string
  sort: TicketSort
}

/** The filters in a URL; anything not understood reads as "any" (and newest first). */
export function filtersFromUrl(url: URL): TicketFilterValues {
  const status = url.searchParams.get('status') ?? ''
  const priority = url.searchParams.get('priority') ?? ''
  const assignee = url.searchParams.get('assignee') ?? ''
  const sort = url.searchParams.get('sort') ?? ''
  return {
    status: isTicketStatus(status) ? status : '',
    priority: isTicketPriority(priority) ? priority : '',
    assignee: assignee === 'me' || assignee === 'none' || isUuid(assignee) ? assignee : '',
    q: (url.searchParams.get('q') ?? '').slice(0, 200),
    sort: isTicketSort(sort) ? sort : 'created',
  }
}

/** The query string for the filters (set ones only, the default order left out), without `?`. */
export function filtersQuery(filters: TicketFilterValues): string {
  const params = new URLSearchParams()
  if (filters.status) params.set('status', filters.status)
  if (filters.priority) params.set('priority', filters.priority)
  if (filters.assignee) params.set('assignee', filters.assignee)
  if (filters.q.trim()) params.set('q', filters.q.trim())
  if (filters.sort !== 'created') params.set('sort', filters.sort)
  return params.toString()
}
