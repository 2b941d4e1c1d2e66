import * as encoding from 'lib0/encoding'
import { IndexeddbPersistence } from 'y-indexeddb'
import { encodeAwarenessUpdate } from 'y-protocols/awareness'
import { messageAwareness, messageQueryAwareness, WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'

/** The sync endpoint on this origin: `ws(s)://<host>/sync`, the doc name is appended per doc. */
export function syncServerUrl(origin: string = location.origin): string {
  return `${origin.replace(/^http/, 'ws')}/sync`
}

export interface SyncProviderOptions {
  doc: Y.Doc
  /** Document name on the server (`inbox`, `conversation:<uuid>`). */
  docName: string
  /** Open the socket right away (default false: callers usually wait for the local copy first). */
  connect?: boolean
}

/**
 * A y-websocket provider for one document. The session cookie authenticates the socket (same
 * origin), so no token goes into the URL. y-websocket stops reconnecting by itself when the server
 * closes with a 44xx code and emits `closed`; callers handle `CLOSE.unauthorized` (shared) there.
 */
export function createSyncProvider(options: SyncProviderOptions): WebsocketProvider {
  const provider = new WebsocketProvider(syncServerUrl(), options.docName, options.doc, {
    connect: options.connect ?? false,
    // Keep the backoff short: an agent coming back online should see new messages quickly.
    maxBackoffTime: 5000,
  })
  publishOwnPresenceOnly(provider)
  return provider
}

/**
 * Stock y-websocket re-sends every awareness change it hears, other people's presence included,
 * and answers an awareness query with everyone's. Our server lets a socket publish only its own
 * presence (another peer's awareness id, or another agent's `user.id`, closes the socket with
 * 4403), so this provider publishes this tab's own state and nothing else.
 */
function publishOwnPresenceOnly(provider: WebsocketProvider): void {
  const { awareness, doc } = provider
  const ownState = () => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, messageAwareness)
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [doc.clientID]))
    return encoding.toUint8Array(encoder)
  }
  awareness.off('update', provider._awarenessUpdateHandler)
  provider._awarenessUpdateHandler = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => {
    if (origin === provider) return
    const { added, updated, removed } = changes
    if (![...added, ...updated, ...removed].includes(doc.clientID)) return
    const socket = provider.ws
    if (provider.wsconnected && socket && socket.readyState === socket.OPEN) socket.send(ownState())
  }
  awareness.on('update', provider._awarenessUpdateHandler)
  provider.messageHandlers[messageQueryAwareness] = (encoder) => {
    encoding.writeVarUint(encoder, messageAwareness)
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [doc.clientID]))
  }
}

/** The IndexedDB database holding an agent's local copy of a document. */
export function localDatabaseName(agentId: string, docName: string): string {
  return `atende:${agentId}:${docName}`
}

/**
 * The IndexedDB copy of a document, so the app opens and reads offline. Named per agent, so two
 * agents sharing a browser never read each other's local copy.
 */
export function createLocalPersistence(
  doc: Y.Doc,
  agentId: string,
  docName: string,
): IndexeddbPersistence {
  return new IndexeddbPersistence(localDatabaseName(agentId, docName), doc)
}
