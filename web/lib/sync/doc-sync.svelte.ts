/* eslint-disable svelte/prefer-svelte-reactivity -- the Maps and Sets here are local lookups, or immutable values held in $state.raw and replaced whole: none is meant to be reactive itself */
import { CLOSE } from '@atende/shared'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { IndexeddbPersistence } from 'y-indexeddb'
import * as syncProtocol from 'y-protocols/sync'
import { messageSync, type WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { network } from './network.svelte'
import { outbox, type UndeliveredReason } from './outbox.svelte'
import { createLocalPersistence, createSyncProvider } from './provider'

/** What the connection indicator shows. */
export type SyncState = 'offline' | 'syncing' | 'synced'

export interface DocSyncOptions {
  doc: Y.Doc
  docName: string
  /** Scopes the local IndexedDB copy to the signed-in agent. */
  agentId: string
  /**
   * The server closed the socket with 4401. The server also uses it to make a socket
   * re-authenticate (the agent's role changed, say), so the caller asks the API whether the session
   * still holds: true reconnects, false stops for good (the caller then leaves for /login).
   */
  onUnauthorized: () => Promise<boolean>
}

const RETRY_BASE_MS = 500
const RETRY_MAX_MS = 30_000

/**
 * Keeps one Y.Doc in sync: IndexedDB first (the local copy loads before anything is sent, so
 * nothing already on the server is sent back to it), then the sync socket. Follows the network:
 * the socket is dropped when the browser goes offline and reopened when it comes back, so
 * "synced" always means a live connection that finished its sync handshake.
 */
export class DocSync {
  /** The local IndexedDB copy has been loaded into the doc. */
  localLoaded = $state(false)
  /** Socket status as y-websocket reports it. */
  socket = $state<'connecting' | 'connected' | 'disconnected'>('disconnected')
  /** The server's state has been received over the current socket. */
  serverSynced = $state(false)
  /** The server ended the session; the socket stays closed. */
  signedOut = $state(false)
  /** The close code when the server ended the socket for good (4404: no such document). */
  closedFor = $state<number | null>(null)
  /** 4401s in a row that the API did not confirm; backs off so a disagreement cannot spin. */
  #unconfirmedCloses = 0
  /**
   * Why this document's writes can never go (the server refused one, or the conversation is
   * gone): the socket is not reopened, and any write is undelivered at once. Cleared only by
   * dropping the local copy (see `discardLocalCopy`).
   */
  #givenUp: UndeliveredReason | null = null
  #retryTimer: ReturnType<typeof setTimeout> | undefined

  /**
   * Ids of local writes (messages) the server has not confirmed yet. Kept in the outbox
   * (localStorage) too, so a reload made offline still knows what is left to send.
   */
  pending = $state.raw<ReadonlySet<string>>(new Set())

  readonly provider: WebsocketProvider
  readonly persistence: IndexeddbPersistence
  readonly docName: string
  /** Pending ids captured by each probe sent on the current socket, oldest first. */
  #probes: ReadonlySet<string>[] = []
  #ready = false
  #destroyed = false
  #stopFollowingNetwork: () => void

  constructor(options: DocSyncOptions) {
    this.docName = options.docName
    performance.mark(`atende:doc-open:${options.docName}`)
    this.pending = new Set(outbox.pendingOf(options.docName))
    const held = outbox.undeliveredOf(options.docName)
    if (held) {
      // Reopening would only send the refused update again, or ask for a removed document.
      this.#givenUp = held.reason
      this.closedFor = held.reason === 'refused' ? CLOSE.forbidden : CLOSE.gone
      // Written since (in another tab, say): they cannot go either.
      if (this.pending.size > 0) outbox.giveUp(options.docName, [...this.pending], held.reason)
      this.pending = new Set()
    }
    this.persistence = createLocalPersistence(options.doc, options.agentId, options.docName)
    this.provider = createSyncProvider({ doc: options.doc, docName: options.docName })
    this.#listenForAcknowledgements()

    this.provider.on('status', ({ status }) => {
      this.socket = status
      if (status !== 'connected') this.#probes = []
    })
    this.provider.on('sync', (synced) => {
      this.serverSynced = synced
      if (synced) {
        performance.mark(`atende:server-synced:${options.docName}`)
        this.#unconfirmedCloses = 0
        this.#probe()
      }
    })
    // y-websocket has already stopped reconnecting (44xx codes are final to it).
    this.provider.on('closed', ({ code }) => {
      this.closedFor = code
      if (code === CLOSE.unauthorized && !this.signedOut) void this.#recheckSession(options)
      if (code === CLOSE.forbidden) this.#giveUp('refused')
      if (code === CLOSE.gone || code === CLOSE.unknownDocument) this.#giveUp('gone')
    })

    const start = () => {
      if (this.#destroyed) return
      // Marks for bench/inbox-browser.ts (and the browser's performance panel).
      performance.mark(`atende:local-loaded:${options.docName}`)
      this.localLoaded = true
      this.#ready = true
      if (network.online && !this.#givenUp) this.provider.connect()
    }
    void this.persistence.whenSynced.then(start)
    // Without IndexedDB (some private modes) the app still works online.
    this.persistence._db.catch(start)

    this.#stopFollowingNetwork = $effect.root(() => {
      $effect(() => {
        const online = network.online
        if (!this.#ready || this.signedOut || this.#givenUp) return
        if (online) this.provider.connect()
        else this.provider.disconnect()
      })
    })
  }

  /** What to show the agent: offline, syncing (connecting, catching up, or sending) or synced. */
  get state(): SyncState {
    if (!network.online) return 'offline'
    return this.socket === 'connected' && this.serverSynced && this.pending.size === 0
      ? 'synced'
      : 'syncing'
  }

  /**
   * Records local writes (message ids) that were just applied to the doc. They stay pending until
   * the server acknowledges them; the outbox keeps them across reloads.
   */
  markPending(ids: readonly string[]): void {
    if (ids.length === 0) return
    if (this.#givenUp) {
      outbox.giveUp(this.docName, ids, this.#givenUp)
      return
    }
    this.pending = new Set([...this.pending, ...ids])
    outbox.add(this.docName, ids)
    this.#probe()
  }

  /** Resolves once every update given to y-indexeddb so far is on disk (before a reload, say). */
  async flush(): Promise<void> {
    const db = await this.persistence._db.catch(() => null)
    if (!db || this.#destroyed) return
    await new Promise<void>((resolve) => {
      try {
        // Transactions on one store run in order: when this one completes, earlier writes have.
        const transaction = db.transaction(['updates'], 'readwrite')
        transaction.oncomplete = () => resolve()
        transaction.onerror = () => resolve()
        transaction.onabort = () => resolve()
      } catch {
        resolve()
      }
    })
  }

  /**
   * Acknowledgements. y-websocket has none, so a probe asks for one: a sync step 1 sent after
   * local updates. The server handles a socket's frames in order and answers each step 1 with a
   * step 2, so that answer means every update sent before the probe has been applied (and stored:
   * the server persists before it broadcasts). Probes are sent only once the socket has synced,
   * which is when the server's own step 1 has been answered with everything it lacked. A refused
   * update closes the socket instead, so nothing is confirmed by mistake.
   */
  #listenForAcknowledgements(): void {
    const handlers = this.provider.messageHandlers
    const handleSync = handlers[messageSync]!
    handlers[messageSync] = (encoder, decoder, provider, fromSocket, messageType) => {
      const syncType = decoding.peekVarUint(decoder)
      const wasSynced = provider.synced
      handleSync(encoder, decoder, provider, fromSocket, messageType)
      // The first step 2 of a socket answers y-websocket's own step 1; later ones answer probes.
      // (Frames from other tabs come through here with `fromSocket` false.)
      if (fromSocket && wasSynced && syncType === syncProtocol.messageYjsSyncStep2) {
        const confirmed = this.#probes.shift()
        if (confirmed) this.#confirm(confirmed)
      }
    }
  }

  #probe(): void {
    if (this.pending.size === 0 || !this.provider.synced) return
    const socket = this.provider.ws
    if (!socket || socket.readyState !== WebSocket.OPEN) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, messageSync)
    syncProtocol.writeSyncStep1(encoder, this.provider.doc)
    socket.send(encoding.toUint8Array(encoder))
    this.#probes.push(new Set(this.pending))
  }

  #confirm(ids: ReadonlySet<string>): void {
    const left = [...this.pending].filter((id) => !ids.has(id))
    if (left.length !== this.pending.size) this.pending = new Set(left)
    outbox.confirm(this.docName, ids)
  }

  /**
   * The server will never take what is pending here: a 4403 means the update broke the rules (it
   * would be refused again on every reconnect, since the local copy holds it), a 4410 or 4404 that
   * the conversation was closed or deleted. Those writes leave the outbox for the undelivered list
   * and the socket stays closed.
   */
  #giveUp(reason: UndeliveredReason): void {
    this.#probes = []
    // A removed conversation takes no more writes, pending or not; a refusal spoils only the copy
    // that holds the refused update.
    if (reason === 'gone') this.#givenUp ??= reason
    if (this.pending.size === 0) return
    this.#givenUp ??= reason
    const ids = [...this.pending]
    this.pending = new Set()
    outbox.giveUp(this.docName, ids, reason)
    this.provider.disconnect()
  }

  async #recheckSession(options: DocSyncOptions): Promise<void> {
    const stillSignedIn = await options.onUnauthorized()
    if (this.#destroyed || this.signedOut) return
    if (!stillSignedIn) {
      this.signedOut = true
      this.provider.disconnect()
      return
    }
    const delay = Math.min(RETRY_BASE_MS * 2 ** this.#unconfirmedCloses++, RETRY_MAX_MS)
    clearTimeout(this.#retryTimer)
    this.#retryTimer = setTimeout(() => {
      if (!this.#destroyed && !this.signedOut && network.online) this.provider.connect()
    }, delay)
  }

  destroy(): void {
    if (this.#destroyed) return
    this.#destroyed = true
    clearTimeout(this.#retryTimer)
    this.#stopFollowingNetwork()
    this.provider.destroy()
    void this.persistence.destroy()
  }
}
