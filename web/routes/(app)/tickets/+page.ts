import { loadTickets } from '$lib/actions/lifecycle'
import { filtersFromUrl } from '$lib/components/ticket/filters'

/** The list's first page for the filters in the URL; "Load more" fetches the rest. */
export async function load({ url, fetch }) {
  const filters = filtersFromUrl(url)
  try {
    return { filters, page: await loadTickets(filters, fetch), failed: false }
  } catch {
    return { filters, page: { tickets: [], nextCursor: null }, failed: true }
  }
}
