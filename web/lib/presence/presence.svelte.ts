/* eslint-disable svelte/prefer-svelte-reactivity -- the Maps and Sets here are local lookups, or immutable values held in $state.raw and replaced whole: none is meant to be reactive itself */
import {
  presenceOf,
  readPresence,
  type PresenceState as PublishedPresence,
  type TypingMode,
  type TypingPresence,
} from '@atende/shared'
import type { Awareness } from 'y-protocols/awareness'

export type { TypingMode, TypingPresence }

/**
 * Team presence, published on the `inbox` doc's awareness: one channel for the whole team, so the
 * conversation list can show who is where without loading every conversation doc.
 *
 * Contract: `PresenceStateSchema` in `@atende/shared` (who, viewing, typing, nothing else). This
 * tab publishes only states built by `presenceOf`, which always fit it; the server refuses any
 * other (4400), or a `user.id` other than the signed-in agent's (4403), and replaces `user.name`
 * with the account's own. Names shown come from the agents list when it is loaded, else from that
 * server-vouched name: never from what another client claims.
 */
export interface PresenceUser {
  id: string
  name: string
}

export interface PresenceState {
  user: PresenceUser
  viewing: string | null
  typing: TypingPresence | null
}

export interface Typist {
  user: PresenceUser
  mode: TypingMode
}

/** Typing clears by itself after this long without a keystroke. */
export const TYPING_IDLE_MS = 3000

class Presence {
  /** Everyone else's presence (other agents, and this agent's other tabs are folded away). */
  others = $state.raw<PresenceState[]>([])
  /** What this tab publishes. */
  viewing = $state<string | null>(null)
  typing = $state.raw<TypingPresence | null>(null)

  #awareness: Awareness | null = null
  #me: PresenceUser | null = null
  #nameOf: (agentId: string) => string | undefined = () => undefined
  #typingTimer: ReturnType<typeof setTimeout> | undefined

  /**
   * Starts publishing on `awareness` (the inbox doc's) as `user`. Returns a function that stops
   * (and withdraws this tab's presence). Called once by the signed-in layout.
   */
  connect(awareness: Awareness, user: PresenceUser): () => void {
    this.#awareness = awareness
    this.#me = { id: user.id, name: user.name }
    const onChange = () => this.#read()
    awareness.on('change', onChange)
    this.#publish()
    this.#read()
    return () => {
      awareness.off('change', onChange)
      clearTimeout(this.#typingTimer)
      if (this.#awareness === awareness) {
        awareness.setLocalState(null)
        this.#awareness = null
        this.#me = null
        this.others = []
      }
    }
  }

  /**
   * Where names come from first (the agents list); until it knows an agent, the name the server
   * vouched for in presence is shown. Returns a function that stops using it.
   */
  useNames(nameOf: (agentId: string) => string | undefined): () => void {
    this.#nameOf = nameOf
    return () => {
      if (this.#nameOf === nameOf) this.#nameOf = () => undefined
    }
  }

  /** The conversation this tab shows, or null. */
  setViewing(conversationId: string | null): void {
    if (this.viewing === conversationId) return
    this.viewing = conversationId
    if (this.typing && this.typing.conversationId !== conversationId) this.typing = null
    this.#publish()
  }

  /** A keystroke in a composer: "typing" for ~3 s after the last call. */
  setTyping(conversationId: string, mode: TypingMode): void {
    clearTimeout(this.#typingTimer)
    this.#typingTimer = setTimeout(() => this.clearTyping(), TYPING_IDLE_MS)
    if (this.typing?.conversationId === conversationId && this.typing.mode === mode) return
    this.typing = { conversationId, mode }
    this.#publish()
  }

  /** Sent, emptied or left: no longer typing. */
  clearTyping(): void {
    clearTimeout(this.#typingTimer)
    if (this.typing === null) return
    this.typing = null
    this.#publish()
  }

  /** Other agents viewing a conversation (one entry per agent). */
  viewersOf(conversationId: string): PresenceUser[] {
    const seen = new Map<string, PresenceUser>()
    for (const state of this.others) {
      if (state.viewing !== conversationId) continue
      const user = this.#named(state)
      if (user) seen.set(user.id, user)
    }
    return [...seen.values()]
  }

  /** Other agents typing in a conversation, with what they type (a reply or a note). */
  typistsOf(conversationId: string): Typist[] {
    const seen = new Map<string, Typist>()
    for (const state of this.others) {
      const typing = state.typing
      if (typing?.conversationId !== conversationId) continue
      const user = this.#named(state)
      if (user) seen.set(`${user.id}|${typing.mode}`, { user, mode: typing.mode })
    }
    return [...seen.values()]
  }

  /** The agent behind a presence, named from the agents list or the server's word; else none. */
  #named(state: PresenceState): PresenceUser | null {
    const name = this.#nameOf(state.user.id) ?? state.user.name
    return name ? { id: state.user.id, name } : null
  }

  #publish(): void {
    if (!this.#awareness || !this.#me) return
    this.#awareness.setLocalState(
      presenceOf({ user: this.#me, viewing: this.viewing, typing: this.typing }),
    )
  }

  #read(): void {
    const awareness = this.#awareness
    const me = this.#me
    if (!awareness || !me) return
    const others: PresenceState[] = []
    for (const [clientId, raw] of awareness.getStates()) {
      if (clientId === awareness.clientID) continue
      const state = readPresence(raw)
      // "Excluding yourself": this agent's other tabs are not someone else looking.
      if (!state || state.user.id === me.id) continue
      others.push(fromPublished(state))
    }
    this.others = others
  }
}

function fromPublished(state: PublishedPresence): PresenceState {
  return {
    user: { id: state.user.id, name: state.user.name ?? '' },
    viewing: state.viewing ?? null,
    typing: state.typing ?? null,
  }
}

/** This tab's presence: publish with setViewing / setTyping, read with viewersOf / typistsOf. */
export const presence = new Presence()
