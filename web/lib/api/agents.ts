import type { Agent, Role } from '@atende/shared'
import { callApi, type Fetch } from './http'

/** The team as admins manage it (the inbox reads the same list through `getAgents`). */

export interface NewAgent {
  name: string
  email: string
  password: string
  role: Role
}

export type AgentChanges = Partial<Pick<Agent, 'name' | 'email' | 'role' | 'active'>> & {
  password?: string
}

/** GET /api/agents: everyone, active or not. */
export async function listAgents(fetchFn: Fetch): Promise<Agent[]> {
  return (await callApi<{ agents: Agent[] }>(fetchFn, '/api/agents')).agents
}

/** POST /api/agents (admins); 409 `email_taken`. */
export async function createAgent(fetchFn: Fetch, agent: NewAgent): Promise<Agent> {
  return (await callApi<{ agent: Agent }>(fetchFn, '/api/agents', { method: 'POST', json: agent }))
    .agent
}

/**
 * PATCH /api/agents/:id (admins); 409 `last_admin` when it would leave no active admin. Taking
 * access away (deactivate, new password, new role) ends the agent's sessions at once.
 */
export async function updateAgent(
  fetchFn: Fetch,
  id: string,
  changes: AgentChanges,
): Promise<Agent> {
  const path = `/api/agents/${encodeURIComponent(id)}`
  return (await callApi<{ agent: Agent }>(fetchFn, path, { method: 'PATCH', json: changes })).agent
}
