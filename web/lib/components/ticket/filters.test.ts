import { describe, expect, it } from 'vitest'
import { filtersFromUrl, filtersQuery, type TicketFilterValues } from './filters'

describe('ticket filters in the URL', () => {
  it('round-trip, and read nonsense as "any", newest first', () => {
    const filters: TicketFilterValues = {
      status: 'pending',
      priority: 'urgent',
      assignee: 'me',
      q: 'maria',
      sort: 'priority',
    }
    expect(filtersFromUrl(new URL(`http://x/tickets?${filtersQuery(filters)}`))).toEqual(filters)
    expect(
      filtersFromUrl(new URL('http://x/tickets?status=done&assignee=bob&priority=asap&sort=x')),
    ).toEqual({ status: '', priority: '', assignee: '', q: '', sort: 'created' })
    expect(filtersQuery({ status: '', priority: '', assignee: '', q: '  ', sort: 'created' })).toBe(
      '',
    )
  })
})
