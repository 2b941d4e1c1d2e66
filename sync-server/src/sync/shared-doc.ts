import {
  checkConversationUpdate,
  checkInboxUpdate,
  checkPresence,
  conversationParts,
  type Actor,
  type DocName,
  type Message,
} from '@atende/shared'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Logger } from '../log.js'
import type { DocumentStore } from '../store/documents.js'
import {
  decodeAwarenessEntries,
  encodeAwareness,
  encodeAwarenessEntries,
  encodeUpdate,
  ProtocolError,
} from './protocol.js'

/** A peer of a document: one authenticated socket. */
export interface Peer {
  readonly actor: Actor
  /** The account's own name, as peers see it in presence (null: none is shown). */
  presenceName?(): string | null
  send(frame: Uint8Array): void
  close(code: number, reason: string): void
}

interface PendingUpdate {
  update: Uint8Array
  origin: unknown
}

/** A client update the document's rules refuse. */
export class RuleViolation extends Error {
  readonly code = 'rule_violation'
}

/** Largest awareness state a client may publish, checked before the schema (which bounds it too). */
const MAX_AWARENESS_STATE = 16 * 1024

/**
 * One loaded document: the Y.Doc, its awareness, and the peers connected to it.
 *
 * Every change, whoever makes it, goes through one path: the doc's `update` event appends the
 * update to SQLite and only then broadcasts it, so nothing is ever seen by a peer before it is on
 * disk. If the write fails the in-memory doc is ahead of the disk: it is marked broken, its peers
 * are disconnected (they keep their edits and resend them) and it is reloaded from disk on next use.
 */
export class SharedDoc {
  readonly doc = new Y.Doc()
  readonly awareness: awarenessProtocol.Awareness
  /** Peers and the awareness client ids each controls. */
  readonly peers = new Map<Peer, Set<number>>()
  readonly messageIds = new Set<string>()
  lastUsed = Date.now()
  broken = false
  private logLength = 0

  constructor(
    readonly name: DocName,
    private readonly store: DocumentStore,
    private readonly log: Logger,
    private readonly hooks: {
      onLogGrown(doc: SharedDoc, length: number): void
      onBroken(doc: SharedDoc): void
      /** True while the manager runs a batch: its server writes are persisted together at the end. */
      inBatch(): boolean
    },
  ) {
    const { snapshot, updates } = store.load(name.name)
    const stored = [...(snapshot ? [snapshot] : []), ...updates]
    if (stored.length > 0)
      Y.applyUpdate(this.doc, stored.length === 1 ? stored[0]! : Y.mergeUpdates(stored))
    this.logLength = updates.length

    if (name.kind === 'conversation') {
      const messages = conversationParts(this.doc).messages
      for (const message of messages.toArray() as Message[]) this.messageIds.add(message.id)
      messages.observe((event) => {
        for (const item of event.changes.added) {
          for (const value of item.content.getContent() as Message[]) this.messageIds.add(value.id)
        }
      })
    }

    this.awareness = new awarenessProtocol.Awareness(this.doc)
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.onAwareness)
    this.doc.on('update', this.onUpdate)
  }

  /** Whether updates wait to be written (applied in memory, not yet on disk or broadcast). */
  get hasPending(): boolean {
    return this.pending.length > 0
  }

  get logSize(): number {
    return this.logLength
  }

  /**
   * Group commit: updates applied in one turn of the event loop (a burst of frames from one TCP
   * read, say) are appended in one SQLite transaction and broadcast as one merged frame, after the
   * write. Anything that would show document state to a peer (a sync step 2) flushes first, so no
   * peer ever sees what is not on disk; a crash before the flush loses only updates nobody saw,
   * which their authors' clients still hold and send again when they reconnect.
   */
  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (this.broken) return
    this.pending.push({ update, origin })
    if (!this.flushScheduled) {
      this.flushScheduled = true
      setImmediate(this.flush)
    }
  }

  private pending: PendingUpdate[] = []
  private flushScheduled = false

  /** Writes pending updates to SQLite, then sends them to the peers that do not have them. */
  readonly flush = (): void => {
    const batch = this.persist()
    if (batch) this.broadcast(batch)
  }

  /**
   * Appends pending updates to the log (inside the caller's transaction, when there is one) and
   * returns them for {@link broadcast}; null when there was nothing to write or the write failed.
   */
  persist(): PendingUpdate[] | null {
    this.flushScheduled = false
    if (this.pending.length === 0 || this.broken) return null
    const batch = this.pending
    this.pending = []
    try {
      this.logLength = this.store.append(
        this.name.name,
        batch.map((entry) => entry.update),
      )
    } catch (err) {
      this.markBroken(err)
      return null
    }
    return batch
  }

  /** The in-memory doc is ahead of the disk: drop it, its peers resync from disk. */
  markBroken(err: unknown): void {
    if (this.broken) return
    this.log.error('persisting an update failed; reloading the document', {
      doc: this.name.name,
      err,
    })
    this.broken = true
    this.hooks.onBroken(this)
  }

  /** Sends persisted updates to the peers that do not have them yet. */
  broadcast(batch: PendingUpdate[]): void {
    if (this.broken) return
    const origins = new Set(batch.map((entry) => entry.origin))
    if (batch.length === 1 || origins.size === 1) {
      // One author: everyone but the author gets the batch (merged, when there are several).
      const frame = encodeUpdate(
        batch.length === 1 ? batch[0]!.update : Y.mergeUpdates(batch.map((e) => e.update)),
      )
      for (const peer of this.peers.keys()) if (!origins.has(peer)) peer.send(frame)
    } else {
      // Several authors: one merged frame for all; an author applying its own update is a no-op.
      const frame = encodeUpdate(Y.mergeUpdates(batch.map((entry) => entry.update)))
      for (const peer of this.peers.keys()) peer.send(frame)
    }
    this.hooks.onLogGrown(this, this.logLength)
  }

  private readonly onAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => {
    const controlled = this.peers.get(origin as Peer)
    if (controlled) {
      for (const id of added) controlled.add(id)
      for (const id of updated) controlled.add(id)
      for (const id of removed) controlled.delete(id)
    }
    // To every peer, the sender too: its renewals are what keep an idle y-websocket client from
    // deciding the connection is dead (it reconnects after 30 s without a message).
    const frame = encodeAwareness(this.awareness, [...added, ...updated, ...removed])
    for (const peer of this.peers.keys()) peer.send(frame)
  }

  /** Checks a client's update against the document's rules, then applies (persists, broadcasts) it. */
  applyClientUpdate(update: Uint8Array, peer: Peer): void {
    this.lastUsed = Date.now()
    const verdict =
      this.name.kind === 'inbox'
        ? checkInboxUpdate(this.doc, update)
        : checkConversationUpdate(this.doc, update, {
            actor: peer.actor,
            now: Date.now(),
            messageIds: this.messageIds,
          })
    if (!verdict.ok) throw new RuleViolation(verdict.reason)
    Y.applyUpdate(this.doc, update, peer)
    if (this.broken) throw new Error('the update could not be stored')
  }

  /**
   * Applies a client's awareness update. The stock y-websocket client re-sends every presence it
   * hears, so entries for another connected peer's awareness ids are echoes, dropped quietly, and so
   * are echoes of departed peers (ids we have seen, in someone else's name). A client's own entries
   * must fit the presence schema (`checkPresence` in shared: else 4400) and be in its own name
   * (`user.id` is the signed-in agent: a new id claiming another agent is a forgery, 4403). Their
   * `user.name` is replaced with the account's own, so peers (and the sender, whose renewals come
   * back to it) see only a name the server vouches for. One bad entry refuses the whole frame.
   */
  applyClientAwareness(update: Uint8Array, peer: Peer): void {
    const accepted = []
    for (const entry of decodeAwarenessEntries(update)) {
      if (this.controlledByAnother(entry.clientId, peer)) continue
      if (entry.state !== null && JSON.stringify(entry.state).length > MAX_AWARENESS_STATE)
        throw new ProtocolError('awareness state too large')
      const checked = checkPresence(entry.state)
      if (!checked.ok) throw new ProtocolError(checked.reason)
      const state = checked.state
      if (state === null || !('user' in state)) {
        accepted.push(entry)
        continue
      }
      if (state.user.id !== peer.actor.id) {
        if (this.awareness.meta.has(entry.clientId)) continue // a departed peer's state, echoed
        throw new RuleViolation('presence must be published in the agent’s own name')
      }
      const name = peer.presenceName?.() ?? null
      const user = name === null ? { id: state.user.id } : { id: state.user.id, name }
      accepted.push({ ...entry, state: { ...state, user } })
    }
    if (accepted.length === 0) return
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(accepted), peer)
  }

  private controlledByAnother(clientId: number, peer: Peer): boolean {
    for (const [other, ids] of this.peers) if (other !== peer && ids.has(clientId)) return true
    return false
  }

  addPeer(peer: Peer): void {
    this.peers.set(peer, new Set())
    this.lastUsed = Date.now()
  }

  removePeer(peer: Peer): void {
    const controlled = this.peers.get(peer)
    this.peers.delete(peer)
    this.lastUsed = Date.now()
    if (controlled && controlled.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...controlled], null)
    }
  }

  /** Runs a server-side change as one transaction; it is persisted and broadcast like any other. */
  transact(change: (doc: Y.Doc) => void, origin: string): void {
    this.lastUsed = Date.now()
    this.doc.transact(() => change(this.doc), origin)
    // Server writes are on disk when this returns (or when the manager's batch commits): callers
    // answer requests on the strength of it.
    if (!this.hooks.inBatch()) this.flush()
    if (this.broken) throw new Error('the change could not be stored')
  }

  /** Folds the update log into one snapshot. */
  compact(): void {
    this.flush()
    if (this.broken || this.logLength === 0) return
    this.store.compact(this.name.name, Y.encodeStateAsUpdate(this.doc))
    this.logLength = 0
  }

  destroy(): void {
    this.pending = []
    this.awareness.off('update', this.onAwareness)
    this.awareness.destroy()
    this.doc.off('update', this.onUpdate)
    this.doc.destroy()
  }
}
