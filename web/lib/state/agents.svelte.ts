import type { Agent } from '@atende/shared'
import { getAgents } from '$lib/api/conversations'

const CACHE_KEY = 'atende.agents'

/**
 * The team, for author names and @mentions: GET /api/agents once per visit, remembered on this
 * device so names still show offline.
 */
class AgentDirectory {
  list = $state.raw<Agent[]>([])
  byId = $derived(new Map(this.list.map((agent) => [agent.id as string, agent])))
  #loading: Promise<void> | null = null

  /** Loads the team (cached copy first, then the server); safe to call from every page. */
  load(): Promise<void> {
    if (this.#loading) return this.#loading
    if (this.list.length === 0) this.list = cached()
    this.#loading = getAgents(fetch)
      .then((agents) => {
        if (!agents) return
        this.list = agents
        try {
          localStorage.setItem(CACHE_KEY, JSON.stringify(agents))
        } catch {
          // Names simply need the network next time.
        }
      })
      .catch(() => {
        // Offline: the cached team stands; try again on the next load().
        this.#loading = null
      })
    return this.#loading
  }

  name(id: string | null | undefined): string | null {
    return id ? (this.byId.get(id)?.name ?? null) : null
  }
}

function cached(): Agent[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(CACHE_KEY) ?? '[]')
    return Array.isArray(value) ? (value as Agent[]) : []
  } catch {
    return []
  }
}

export const agents = new AgentDirectory()
