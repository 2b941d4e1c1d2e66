/* eslint-disable svelte/prefer-svelte-reactivity -- the Maps and Sets here are local lookups, or immutable values held in $state.raw and replaced whole: none is meant to be reactive itself */
import {
  conversationDocName,
  conversationParts,
  type ConversationId,
  type ConversationMeta,
  type MediaEntry,
  type Message,
  type MessageAmendment,
  type Receipt,
} from '@atende/shared'
import type * as Y from 'yjs'
import { acquireDoc, discardLocalCopy, type DocLease } from '$lib/sync/doc-pool'
import type { DocSync } from '$lib/sync/doc-sync.svelte'
import { network } from '$lib/sync/network.svelte'
import { touchOfflineDoc } from '$lib/sync/offline-set'
import { outbox, type UndeliveredWrites } from '$lib/sync/outbox.svelte'
import { applyArrayDelta, type ArrayDelta } from './array-delta'

/** One entry of the `reactions` map: `<messageId>|<reactor>` → this. */
export interface Reaction {
  messageId: string
  emoji: string
  /** Who reacted: the contact id for the customer, an agent id for an agent. */
  by: string
  at: number
}

/** One entry of the `media` map: where our copy of a file stands, and whether it matched. */
export type MediaStatus = MediaEntry

/**
 * One conversation document, read live for the thread: messages, meta, receipts, reactions and
 * media status as plain data. The Y→plain conversion is incremental: the full message list is read
 * once, then every change applies only its delta, so a 5,000-message thread costs nothing per new
 * message. Actions write through `doc` and `sync` (see `$lib/actions/messages`).
 */
export class ConversationState {
  readonly id: ConversationId
  readonly docName: string
  /** Messages in document order. Replaced (not mutated) on every change; the objects are shared. */
  messages = $state.raw<Message[]>([])
  meta = $state.raw<Partial<ConversationMeta>>({})
  receipts = $state.raw<Readonly<Record<string, Receipt>>>({})
  /** Reactions by message id. */
  reactions = $state.raw<ReadonlyMap<string, readonly Reaction[]>>(new Map())
  media = $state.raw<Readonly<Record<string, MediaStatus>>>({})
  /** The customer's edits and deletions, by message id (see `amendedMessage`). */
  amendments = $state.raw<Readonly<Record<string, MessageAmendment>>>({})
  /** Bumped whenever a customer message arrives from elsewhere (drives "mark as seen"). */
  customerArrivals = $state(0)

  #lease = $state.raw<DocLease>(undefined as unknown as DocLease)
  readonly #agentId: string
  readonly #index = new Map<string, Message>()
  readonly #reactionsByKey = new Map<string, Reaction>()
  #stop: (() => void)[] = []
  #destroyed = false

  constructor(id: ConversationId, agentId: string) {
    this.id = id
    this.docName = conversationDocName(id)
    this.#agentId = agentId
    performance.mark(`atende:conversation-open:${this.docName}`)
    this.#attach()
  }

  /** Opens the document and reads it live (again after `discardLocalCopy`, from a fresh doc). */
  #attach(): void {
    const lease = acquireDoc(this.docName)
    this.#lease = lease
    touchOfflineDoc(this.#agentId, this.docName)
    const parts = conversationParts(lease.doc)

    this.#index.clear()
    this.#setMessages(parts.messages.toArray() as Message[], null)
    const onMessages = (event: Y.YArrayEvent<unknown>, transaction: Y.Transaction) => {
      const delta = event.changes.delta as ArrayDelta
      const inserted = delta.flatMap((op) =>
        Array.isArray(op.insert) ? op.insert : [],
      ) as Message[]
      this.#setMessages(applyArrayDelta(this.messages, delta), inserted)
      // Only what the server delivers is an arrival (not the local copy loading, not our writes).
      if (transaction.origin !== lease.sync.provider) return
      if (inserted.some((message) => message.kind === 'customer')) this.customerArrivals++
    }
    parts.messages.observe(onMessages)
    this.#stop.push(() => parts.messages.unobserve(onMessages))

    const readMeta = () => (this.meta = parts.meta.toJSON() as Partial<ConversationMeta>)
    readMeta()
    parts.meta.observe(readMeta)
    this.#stop.push(() => parts.meta.unobserve(readMeta))

    this.receipts = parts.receipts.toJSON() as Record<string, Receipt>
    const onReceipts = (event: Y.YMapEvent<unknown>) => {
      const next = { ...this.receipts }
      for (const key of event.keysChanged) {
        const value = parts.receipts.get(key) as Receipt | undefined
        if (value) next[key] = value
        else delete next[key]
      }
      this.receipts = next
    }
    parts.receipts.observe(onReceipts)
    this.#stop.push(() => parts.receipts.unobserve(onReceipts))

    this.#reactionsByKey.clear()
    for (const [key, value] of parts.reactions.entries()) {
      this.#reactionsByKey.set(key, value as Reaction)
    }
    this.#groupReactions(null)
    const onReactions = (event: Y.YMapEvent<unknown>) => {
      const touched = new Set<string>()
      for (const key of event.keysChanged) {
        const old = this.#reactionsByKey.get(key)
        if (old) touched.add(old.messageId)
        const value = parts.reactions.get(key) as Reaction | undefined
        if (value) {
          this.#reactionsByKey.set(key, value)
          touched.add(value.messageId)
        } else {
          this.#reactionsByKey.delete(key)
        }
      }
      this.#groupReactions(touched)
    }
    parts.reactions.observe(onReactions)
    this.#stop.push(() => parts.reactions.unobserve(onReactions))

    const readMedia = () => (this.media = parts.media.toJSON() as Record<string, MediaStatus>)
    readMedia()
    parts.media.observe(readMedia)
    this.#stop.push(() => parts.media.unobserve(readMedia))

    const readAmendments = () =>
      (this.amendments = parts.amendments.toJSON() as Record<string, MessageAmendment>)
    readAmendments()
    parts.amendments.observe(readAmendments)
    this.#stop.push(() => parts.amendments.unobserve(readAmendments))
    this.#stop.push(() => lease.release())
  }

  #detach(): void {
    for (const stop of this.#stop) stop()
    this.#stop = []
  }

  /**
   * Drops this device's copy of the conversation (it holds writes the server will never take,
   * which the agent has dismissed) and, unless `reopen` is false, reads it afresh from the server.
   */
  async discardLocalCopy(reopen = true): Promise<void> {
    this.#detach()
    await discardLocalCopy(this.docName)
    if (reopen && !this.#destroyed) this.#attach()
  }

  /** For actions only: the document to append to. */
  get doc(): Y.Doc {
    return this.#lease.doc
  }

  /** For actions only: the document's sync (pending writes, flush). */
  get sync(): DocSync {
    return this.#lease.sync
  }

  /** Ids of this device's messages the server has not confirmed yet. */
  get pending(): ReadonlySet<string> {
    return this.#lease.sync.pending
  }

  /**
   * This device's writes the server will never take (refused, or the conversation was closed or
   * deleted meanwhile), kept until the agent dismisses them; undefined when there are none.
   */
  get undelivered(): UndeliveredWrites | undefined {
    return outbox.undeliveredOf(this.docName)
  }

  /** The conversation was closed or deleted while this device held it (nothing more can sync). */
  get gone(): boolean {
    const reason = this.undelivered?.reason
    if (reason) return reason !== 'refused'
    const code = this.#lease.sync.closedFor
    return code === 4410 || code === 4404
  }

  /** The local copy is open: the thread can be shown (and written to) now. */
  get ready(): boolean {
    return this.#lease.sync.localLoaded
  }

  /** Nothing on this device and no way to fetch it: the conversation was never kept offline. */
  get unavailableOffline(): boolean {
    return (
      this.ready &&
      !network.online &&
      this.messages.length === 0 &&
      this.meta.id === undefined &&
      !this.#lease.sync.serverSynced
    )
  }

  /** The server says there is no such conversation (or this agent may not open it). */
  get missing(): boolean {
    const code = this.#lease.sync.closedFor
    return code === 4404 || code === 4403
  }

  /** Connected and caught up with the server. */
  get synced(): boolean {
    return this.#lease.sync.serverSynced
  }

  /** A message by id (for quoted replies); reactive through `messages`. */
  message(id: string | undefined): Message | undefined {
    if (!id) return undefined
    void this.messages
    return this.#index.get(id)
  }

  destroy(): void {
    this.#destroyed = true
    this.#detach()
  }

  /** Messages are immutable and never deleted, so the index only grows with what was inserted. */
  #setMessages(next: Message[], inserted: readonly Message[] | null): void {
    for (const message of inserted ?? next) this.#index.set(message.id, message)
    this.messages = next
  }

  #groupReactions(touched: ReadonlySet<string> | null): void {
    const next = new Map(touched ? this.reactions : [])
    if (touched) for (const id of touched) next.delete(id)
    for (const reaction of this.#reactionsByKey.values()) {
      if (touched && !touched.has(reaction.messageId)) continue
      const list = next.get(reaction.messageId)
      next.set(reaction.messageId, list ? [...list, reaction] : [reaction])
    }
    this.reactions = next
  }
}
