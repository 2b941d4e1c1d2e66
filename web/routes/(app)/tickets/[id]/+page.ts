import { loadTicket } from '$lib/actions/lifecycle'

/** The ticket with its transcript and events; null when there is no such ticket. */
export async function load({ params, fetch }) {
  try {
    return { ticket: await loadTicket(params.id, fetch), failed: false }
  } catch {
    return { ticket: null, failed: true }
  }
}
