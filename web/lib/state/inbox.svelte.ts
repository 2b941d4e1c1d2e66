import { INBOX_DOC, inboxMap, readInbox, type InboxSummary } from '@atende/shared'
import * as Y from 'yjs'
import { DocSync, type SyncState } from '$lib/sync/doc-sync.svelte'
import { sortInbox } from './inbox-order'

export interface InboxStateOptions {
  agentId: string
  /** The sync socket was closed as unauthorized: true if the session still holds (see DocSync). */
  onUnauthorized: () => Promise<boolean>
}

/**
 * The `inbox` document, read live: one card per conversation, latest first. Owns the Y.Doc; the
 * rest of the app sees plain `InboxSummary` objects. The doc is written by the server only, so
 * there are no actions here yet.
 */
export class InboxState {
  /** Conversation cards, latest activity first. Replaced (not mutated) on every change. */
  conversations = $state.raw<InboxSummary[]>([])

  readonly #doc = new Y.Doc()
  readonly #sync: DocSync

  constructor(options: InboxStateOptions) {
    const conversations = inboxMap(this.#doc)
    conversations.observe(() => this.#read())
    this.#sync = new DocSync({
      doc: this.#doc,
      docName: INBOX_DOC,
      agentId: options.agentId,
      onUnauthorized: options.onUnauthorized,
    })
    this.#read()
  }

  /** Offline, syncing or synced, for the connection indicator. */
  get syncState(): SyncState {
    return this.#sync.state
  }

  /** True once there is something to show: the local copy loaded, or the server answered. */
  get loaded(): boolean {
    return this.#sync.localLoaded || this.#sync.serverSynced
  }

  find(id: string): InboxSummary | undefined {
    return this.conversations.find((conversation) => conversation.id === id)
  }

  destroy(): void {
    this.#sync.destroy()
    this.#doc.destroy()
  }

  #read(): void {
    this.conversations = sortInbox(readInbox(this.#doc))
  }
}
