/* eslint-disable svelte/prefer-svelte-reactivity -- the Maps and Sets here are local lookups, or immutable values held in $state.raw and replaced whole: none is meant to be reactive itself */
import type { Awareness } from 'y-protocols/awareness'

/**
 * Team presence, published on the `inbox` doc's awareness: one channel for the whole team, so the
 * conversation list can show who is where without loading every conversation doc.
 *
 * Contract (shared with the conversation list):
 *   { user: { id, name }, viewing: <conversationId> | null,
 *     typing: { conversationId, mode: 'reply' | 'note' } | null }
 * The server refuses a `user.id` other than the signed-in agent's.
 */
export interface PresenceUser {
  id: string
  name: string
}

export type TypingMode = 'reply' | 'note'

export interface TypingPresence {
  conversationId: string
  mode: TypingMode
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

function isPresenceState(value: unknown): value is PresenceState {
  if (typeof value !== 'object' || value === null) return false
  const user = (value as { user?: unknown }).user
  return (
    typeof user === 'object' &&
    user !== null &&
    typeof (user as PresenceUser).id === 'string' &&
    typeof (user as PresenceUser).name === 'string'
  )
}

class Presence {
  /** Everyone else's presence (other agents, and this agent's other tabs are folded away). */
  others = $state.raw<PresenceState[]>([])
  /** What this tab publishes. */
  viewing = $state<string | null>(null)
  typing = $state.raw<TypingPresence | null>(null)

  #awareness: Awareness | null = null
  #me: PresenceUser | null = null
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
      if (state.viewing === conversationId) seen.set(state.user.id, state.user)
    }
    return [...seen.values()]
  }

  /** Other agents typing in a conversation, with what they type (a reply or a note). */
  typistsOf(conversationId: string): Typist[] {
    const seen = new Map<string, Typist>()
    for (const state of this.others) {
      const typing = state.typing
      if (typing?.conversationId === conversationId) {
        seen.set(`${state.user.id}|${typing.mode}`, { user: state.user, mode: typing.mode })
      }
    }
    return [...seen.values()]
  }

  #publish(): void {
    if (!this.#awareness || !this.#me) return
    const state: PresenceState = { user: this.#me, viewing: this.viewing, typing: this.typing }
    this.#awareness.setLocalState(state)
  }

  #read(): void {
    const awareness = this.#awareness
    const me = this.#me
    if (!awareness || !me) return
    const others: PresenceState[] = []
    for (const [clientId, state] of awareness.getStates()) {
      if (clientId === awareness.clientID || !isPresenceState(state)) continue
      // "Excluding yourself": this agent's other tabs are not someone else looking.
      if (state.user.id === me.id) continue
      others.push(state)
    }
    this.others = others
  }
}

/** This tab's presence: publish with setViewing / setTyping, read with viewersOf / typistsOf. */
export const presence = new Presence()
