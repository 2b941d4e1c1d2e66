import { listAgents } from '$lib/api/agents'
import { loadForAdmin } from '../admin-load'

export async function load({ parent, fetch }) {
  return { agents: await loadForAdmin(parent, () => listAgents(fetch)) }
}
