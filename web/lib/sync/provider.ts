import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'

/** Close code the sync server uses for "signed out or session expired". */
export const CLOSE_SIGNED_OUT = 4401

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
 * closes with a 44xx code and emits `closed`; callers handle `CLOSE_SIGNED_OUT` there.
 */
export function createSyncProvider(options: SyncProviderOptions): WebsocketProvider {
  return new WebsocketProvider(syncServerUrl(), options.docName, options.doc, {
    connect: options.connect ?? false,
    // Keep the backoff short: an agent coming back online should see new messages quickly.
    maxBackoffTime: 5000,
  })
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
  return new IndexeddbPersistence(`atende:${agentId}:${docName}`, doc)
}
