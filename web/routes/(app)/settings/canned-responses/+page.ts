import { getCannedResponses } from '$lib/api/canned-responses'
import { loadForAdmin } from '../admin-load'

export async function load({ parent, fetch }) {
  return { cannedResponses: await loadForAdmin(parent, () => getCannedResponses(fetch)) }
}
