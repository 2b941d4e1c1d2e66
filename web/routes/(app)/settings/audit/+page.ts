import { listAgents } from '$lib/api/agents'
import { getAuditLog } from '$lib/api/audit'
import { loadForAdmin } from '../admin-load'

/** The newest entries, and the team's names for the agents they are about. */
export async function load({ parent, fetch }) {
  return {
    audit: await loadForAdmin(parent, async () => {
      const [page, agents] = await Promise.all([
        getAuditLog(fetch),
        listAgents(fetch).catch(() => []),
      ])
      return {
        ...page,
        agentNames: new Map(agents.map((agent) => [agent.id as string, agent.name])),
      }
    }),
  }
}
