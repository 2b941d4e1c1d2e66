/**
 * Clients for integration tests: the stock y-websocket provider (as browsers use it) and a raw
 * WebSocket for sending frames no well-behaved client would.
 */
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

export interface SyncClient {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Resolves once the first sync with the server completed. */
  synced: Promise<void>
  /** Resolves with the code of the server's terminal close (4400-4499). */
  closed: Promise<{ code: number; reason: string }>
  destroy(): void
}

export function connect(
  wsBase: string,
  docName: string,
  token: string | null,
  doc = new Y.Doc(),
): SyncClient {
  const provider = new WebsocketProvider(`${wsBase}/sync`, docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token ? { token } : {},
    disableBc: true,
  })
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve()
    else provider.once('sync', () => resolve())
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    provider.on('closed', (event: { code: number; reason: string }) => resolve(event))
  })
  return {
    doc,
    provider,
    synced,
    closed,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Resolves once `predicate(doc)` holds, checking after every change. */
export function waitForDoc(doc: Y.Doc, predicate: (doc: Y.Doc) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate(doc)) return resolve()
    const check = () => {
      if (!predicate(doc)) return
      doc.off('update', check)
      resolve()
    }
    doc.on('update', check)
  })
}

export interface RawSocket {
  socket: WebSocket
  /** Every frame the server sent. */
  frames: Uint8Array[]
  opened: Promise<void>
  closed: Promise<{ code: number; reason: string }>
  send(bytes: Uint8Array | string): void
}

export function rawSocket(url: string, headers: Record<string, string> = {}): RawSocket {
  const socket = new WebSocket(url, { headers })
  const frames: Uint8Array[] = []
  socket.on('message', (data: Buffer) => frames.push(new Uint8Array(data)))
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode}`)),
    )
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
  socket.on('error', () => {})
  return { socket, frames, opened, closed, send: (bytes) => socket.send(bytes) }
}
