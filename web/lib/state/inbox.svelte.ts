import { INBOX_DOC, inboxMap, readInbox, type InboxSummary } from '@atende/shared'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { i18n } from '$lib/i18n'
import { DocSync, type SyncState } from '$lib/sync/doc-sync.svelte'
import { outbox } from '$lib/sync/outbox.svelte'
import { toasts } from './toasts.svelte'
import { applyInboxChanges, sortInbox } from './inbox-order'

export interface InboxStateOptions {
  agentId: string
  /** The sync socket was closed as unauthorized: true if the session still holds (see DocSync). */
  onUnauthorized: () => Promise<boolean>
}

/** Past this many cards changed at once (a first sync, say) the list is read and sorted afresh. */
const INCREMENTAL_LIMIT = 64

/**
 * The `inbox` document, read live: one card per conversation, latest first. Owns the Y.Doc; the
 * rest of the app sees plain `InboxSummary` objects. The doc is written by the server only, so
 * there are no actions here.
 *
 * Thousands of cards: a change touches only the cards it names (moved to their new place in the
 * sorted list by binary search), so a new message does not re-read and re-sort the whole inbox.
 */
export class InboxState {
  /** Conversation cards, latest activity first. Replaced (not mutated) on every change. */
  conversations = $state.raw<InboxSummary[]>([])

  readonly #doc = new Y.Doc()
  readonly #sync: DocSync
  // Plain collections on purpose: `conversations` is the reactive face; these are its index and
  // the listeners, neither read by the UI.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #byId = new Map<string, InboxSummary>()
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #customerMessageListeners = new Set<(conversation: InboxSummary) => void>()
  /** Cards removed (closed or deleted) since this tab started: who undelivered writes were for. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #removed = new Map<string, InboxSummary>()
  readonly #stopWatchingUndelivered: () => void

  constructor(options: InboxStateOptions) {
    const conversations = inboxMap(this.#doc)
    conversations.observe((event) => this.#apply(event))
    this.#sync = new DocSync({
      doc: this.#doc,
      docName: INBOX_DOC,
      agentId: options.agentId,
      onUnauthorized: options.onUnauthorized,
    })
    this.#readAll()
    this.#stopWatchingUndelivered = this.#watchUndelivered()
  }

  /** Offline, syncing or synced, for the connection indicator. */
  get syncState(): SyncState {
    return this.#sync.state
  }

  /** The inbox doc's awareness: the team's presence channel (see `$lib/presence`). */
  get awareness(): Awareness {
    return this.#sync.provider.awareness
  }

  /** True once there is something to show: the local copy loaded, or the server answered. */
  get loaded(): boolean {
    return this.#sync.localLoaded || this.#sync.serverSynced
  }

  /** One card by conversation id (reactive: re-read when the inbox changes). */
  find(id: string): InboxSummary | undefined {
    void this.conversations
    return this.#byId.get(id)
  }

  /**
   * Calls `listener` when a conversation's unread count goes up live: a new customer message while
   * this tab is connected (not the catching up of a first sync or a reconnect). Returns an
   * unsubscribe.
   */
  onCustomerMessage(listener: (conversation: InboxSummary) => void): () => void {
    this.#customerMessageListeners.add(listener)
    return () => this.#customerMessageListeners.delete(listener)
  }

  destroy(): void {
    this.#stopWatchingUndelivered()
    this.#customerMessageListeners.clear()
    this.#sync.destroy()
    this.#doc.destroy()
  }

  /**
   * Tells the agent when writes of theirs turn out undeliverable (the conversation was closed or
   * deleted meanwhile, or the server refused them), wherever they are in the app: a conversation
   * that left the inbox is not on any list any more.
   */
  #watchUndelivered(): () => void {
    let known = Object.keys(outbox.undelivered)
    return $effect.root(() => {
      $effect(() => {
        const current = outbox.undelivered
        for (const [docName, writes] of Object.entries(current)) {
          if (known.includes(docName)) continue
          const id = docName.slice(docName.indexOf(':') + 1)
          const name = (this.#byId.get(id) ?? this.#removed.get(id))?.contactName ?? ''
          toasts.show(i18n.m.conversation.undelivered.notice(writes.ids.length, name), 'error')
        }
        known = Object.keys(current)
      })
    })
  }

  #readAll(): void {
    const all = readInbox(this.#doc)
    this.#byId.clear()
    for (const card of all) this.#byId.set(card.id, card)
    this.conversations = sortInbox(all)
  }

  #apply(event: Y.YMapEvent<unknown>): void {
    const map = event.target as Y.Map<unknown>
    const live = event.transaction.origin === this.#sync.provider && this.#sync.serverSynced
    const changes: { before: InboxSummary | undefined; after: InboxSummary | undefined }[] = []
    const arrived: InboxSummary[] = []
    for (const id of event.keysChanged) {
      const before = this.#byId.get(id)
      const after = map.get(id) as InboxSummary | undefined
      if (after) this.#byId.set(id, after)
      else this.#byId.delete(id)
      if (before && !after) this.#removed.set(id, before)
      changes.push({ before, after })
      if (live && after && after.unread > (before?.unread ?? 0)) arrived.push(after)
    }
    if (changes.length > INCREMENTAL_LIMIT) {
      this.conversations = sortInbox([...this.#byId.values()])
    } else {
      const next = this.conversations.slice()
      applyInboxChanges(next, changes)
      this.conversations = next
    }
    for (const conversation of arrived) {
      for (const listener of this.#customerMessageListeners) listener(conversation)
    }
  }
}
