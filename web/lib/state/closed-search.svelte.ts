import type { TicketSummary } from '@atende/shared'
import { searchClosed } from '$lib/actions/lifecycle'
import { UnreachableError } from '$lib/api/http'

/** How long typing must pause before the server is asked. */
const PAUSE_MS = 300
/** Shorter searches would match most of the history: not asked. */
export const MIN_CLOSED_SEARCH = 2

export type ClosedSearchState = 'idle' | 'searching' | 'done' | 'offline' | 'failed'

/**
 * The inbox search's second half: the tickets of closed conversations that match what the agent
 * typed (contact name, phone, subject), asked of the server once typing pauses. Closed
 * conversations are not in the local inbox, so offline it says so instead of finding nothing.
 * Only the latest search's answer is kept.
 */
export class ClosedSearch {
  state = $state<ClosedSearchState>('idle')
  tickets = $state.raw<TicketSummary[]>([])
  #timer: ReturnType<typeof setTimeout> | undefined
  #latest = 0

  /** Searches for `text` (debounced); `online` is the browser's network state. */
  search(text: string, online: boolean): void {
    clearTimeout(this.#timer)
    const asked = ++this.#latest
    const q = text.trim()
    if (q.length < MIN_CLOSED_SEARCH) {
      this.state = 'idle'
      this.tickets = []
      return
    }
    if (!online) {
      this.state = 'offline'
      this.tickets = []
      return
    }
    this.state = 'searching'
    this.#timer = setTimeout(() => {
      searchClosed(q).then(
        (tickets) => {
          if (asked !== this.#latest) return
          this.tickets = tickets
          this.state = 'done'
        },
        (error: unknown) => {
          if (asked !== this.#latest) return
          this.tickets = []
          this.state = error instanceof UnreachableError ? 'offline' : 'failed'
        },
      )
    }, PAUSE_MS)
  }

  destroy(): void {
    clearTimeout(this.#timer)
    this.#latest++
  }
}
