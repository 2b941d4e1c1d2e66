import type { IndexeddbPersistence } from 'y-indexeddb'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { network } from './network.svelte'
import { CLOSE_SIGNED_OUT, createLocalPersistence, createSyncProvider } from './provider'

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
  /** 4401s in a row that the API did not confirm; backs off so a disagreement cannot spin. */
  #unconfirmedCloses = 0
  #retryTimer: ReturnType<typeof setTimeout> | undefined

  readonly provider: WebsocketProvider
  readonly persistence: IndexeddbPersistence
  #ready = false
  #destroyed = false
  #stopFollowingNetwork: () => void

  constructor(options: DocSyncOptions) {
    this.persistence = createLocalPersistence(options.doc, options.agentId, options.docName)
    this.provider = createSyncProvider({ doc: options.doc, docName: options.docName })

    this.provider.on('status', ({ status }) => (this.socket = status))
    this.provider.on('sync', (synced) => {
      this.serverSynced = synced
      if (synced) this.#unconfirmedCloses = 0
    })
    // y-websocket has already stopped reconnecting (44xx codes are final to it).
    this.provider.on('closed', ({ code }) => {
      if (code === CLOSE_SIGNED_OUT && !this.signedOut) void this.#recheckSession(options)
    })

    const start = () => {
      if (this.#destroyed) return
      this.localLoaded = true
      this.#ready = true
      if (network.online) this.provider.connect()
    }
    void this.persistence.whenSynced.then(start)
    // Without IndexedDB (some private modes) the app still works online.
    this.persistence._db.catch(start)

    this.#stopFollowingNetwork = $effect.root(() => {
      $effect(() => {
        const online = network.online
        if (!this.#ready || this.signedOut) return
        if (online) this.provider.connect()
        else this.provider.disconnect()
      })
    })
  }

  /** What to show the agent: offline, syncing (connecting or catching up) or synced. */
  get state(): SyncState {
    if (!network.online) return 'offline'
    return this.socket === 'connected' && this.serverSynced ? 'synced' : 'syncing'
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
