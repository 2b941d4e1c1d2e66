import { describe, expect, it } from 'vitest'
import { filtersFromUrl, filtersQuery } from './filters'

describe('ticket filters in the URL', () => {
  it('round-trip, and read nonsense as "any"', () => {
    const filters = { status: 'pending' as const, assignee: 'me', q: 'maria' }
    expect(filtersFromUrl(new URL(`http://x/tickets?${filtersQuery(filters)}`))).toEqual(filters)
    expect(filtersFromUrl(new URL('http://x/tickets?status=done&assignee=bob'))).toEqual({
      status: '',
      assignee: '',
      q: '',
    })
    expect(filtersQuery({ status: '', assignee: '', q: '  ' })).toBe('')
  })
})
