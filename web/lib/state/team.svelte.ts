import type { Agent } from '@atende/shared'
import { getAgents } from '$lib/api/conversations'

/**
 * The team, for names and avatars of assignees, viewers and the people behind notifications.
 * Loaded once from GET /api/agents; offline, names fall back to what presence carries.
 */
export class TeamDirectory {
  agents = $state.raw<Agent[]>([])
  // A lookup rebuilt with the list, never mutated.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #byId = $derived(new Map(this.agents.map((agent) => [agent.id as string, agent])))

  async load(): Promise<void> {
    try {
      this.agents = (await getAgents(fetch)) ?? this.agents
    } catch {
      // Unreachable: assignees and notification authors show without names until the next load.
    }
  }

  get(id: string | null | undefined): Agent | undefined {
    return id ? this.#byId.get(id) : undefined
  }
}
