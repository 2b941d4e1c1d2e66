import { upgradeWebSocket } from '@hono/node-server'
import { docAccessFor, type Actor } from '@atende/shared'
import type { Context, MiddlewareHandler } from 'hono'
import { WebSocket, WebSocketServer } from 'ws'
import { getCookie } from 'hono/cookie'
import type { Logger } from '../log.js'
import { SESSION_COOKIE, tokenFromRequest } from '../session-token.js'
import type { Db } from '../store/db.js'
import { createDocumentStore } from '../store/documents.js'
import { Connection, type Socket } from './connection.js'
import { DocManager, UnknownDocument } from './docs.js'
import { CLOSE } from './protocol.js'

export interface SyncServiceOptions {
  db: Db
  log: Logger
  /** Resolves a session token (from `?token=`, a Bearer header or the session cookie). */
  authenticate: (token: string) => Actor | null
  /** The account's current name, which presence shows in place of whatever a client claims. */
  agentName?: (agentId: string) => string | null
  /** Largest frame a client may send; bigger ones close the socket (ws answers 1009). */
  maxFrameBytes?: number
  idleMs?: number
  compactAfter?: number
  /** How often open sockets re-check their session (revoked or expired sessions are closed). */
  recheckMs?: number
}

export interface SyncService {
  /** The `ws` server to pass to `serve({ websocket: { server: sync.wss } })`. */
  wss: WebSocketServer
  /** Mount with `app.get('/sync/*', sync.route)`. */
  route: MiddlewareHandler
  /** Documents, for server-side writes (`docs.get(name).transact(fn, origin)`). */
  docs: DocManager
  /** Close every socket of an agent (deactivated, deleted). */
  disconnectAgent(agentId: string): void
  /** Compact and unload every document, close every socket. */
  close(): Promise<void>
}

/**
 * The socket's session token. Browsers send the session cookie with the upgrade, but they send it
 * cross-site too (WebSockets have no CORS): a cookie is only taken when the page that opened the
 * socket is ours (`Origin` matches `Host`). Node clients pass `?token=` instead.
 */
function tokenOf(c: Context): string | null {
  const origin = c.req.header('origin')
  if (origin && getCookie(c, SESSION_COOKIE)) {
    let sameOrigin = false
    try {
      sameOrigin = new URL(origin).host === c.req.header('host')
    } catch {
      sameOrigin = false
    }
    if (!sameOrigin) return c.req.query('token') || null
  }
  return tokenFromRequest(c, { allowQuery: true })
}

/** Adapts a `ws` socket to the sync core's {@link Socket}. */
function socketOf(raw: WebSocket): Socket {
  return {
    send: (frame) => raw.send(frame),
    close: (code, reason) => raw.close(code, reason),
    get isOpen() {
      return raw.readyState === WebSocket.OPEN
    },
    get bufferedAmount() {
      return raw.bufferedAmount
    },
  }
}

/**
 * The y-websocket endpoint. Authentication happens before the upgrade, but a refusal is told after
 * it (accept, then close with 4401/4404): a refused upgrade makes browsers and the stock client
 * retry forever, a 44xx close makes them stop. Nothing of a document is sent before both checks pass.
 */
export function createSyncService(options: SyncServiceOptions): SyncService {
  const { log, authenticate } = options
  const docs = new DocManager({
    store: createDocumentStore(options.db),
    log,
    idleMs: options.idleMs,
    compactAfter: options.compactAfter,
  })
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxFrameBytes ?? 8 * 1024 * 1024,
  })
  const connections = new Set<Connection>()

  const route = upgradeWebSocket(
    (c) => {
      const name = safeDecode(c.req.path.slice('/sync/'.length))
      const token = tokenOf(c)
      const actor = token ? authenticate(token) : null
      let connection: Connection | null = null
      return {
        onOpen(_event, ws) {
          const raw = ws.raw as WebSocket
          if (!actor || !token) return raw.close(CLOSE.unauthorized, 'sign in first')
          // Only kinds declared in DOC_ACCESS, and only for the roles it names, are served.
          if (!docAccessFor(name ?? '', actor))
            return raw.close(CLOSE.unknownDocument, 'unknown document')
          let shared
          try {
            shared = docs.get(name ?? '')
          } catch (err) {
            if (err instanceof UnknownDocument)
              return raw.close(CLOSE.unknownDocument, 'unknown document')
            log.error('loading a document failed', { doc: name, err })
            return raw.close(CLOSE.serverError, 'server error, reconnect')
          }
          const opened = new Connection(socketOf(raw), actor, token, shared, log, options.agentName)
          connection = opened
          connections.add(opened)
          raw.on('close', () => {
            opened.closed()
            connections.delete(opened)
          })
          opened.start()
        },
        onMessage(event) {
          if (!connection) return
          if (typeof event.data === 'string') {
            connection.close(CLOSE.malformed, 'binary frames only')
            return
          }
          connection.receive(new Uint8Array(event.data as ArrayBuffer))
        },
      }
    },
    { onError: (err) => log.warn('websocket error', { err }) },
  )

  /**
   * Closes a socket whose session ended (4401: the client must sign in again) or whose agent
   * changed (4501: reconnect, and the new role applies). Sockets whose session is unchanged stay.
   */
  const recheck = (connection: Connection, force: boolean) => {
    const actor = authenticate(connection.token)
    if (!actor || actor.id !== connection.actor.id)
      connection.close(CLOSE.unauthorized, 'session ended')
    else if (force || actor.role !== connection.actor.role)
      connection.close(CLOSE.reconnect, 'access changed, reconnect')
  }
  const rechecks = setInterval(() => {
    for (const connection of connections) recheck(connection, false)
  }, options.recheckMs ?? 30_000)
  rechecks.unref()

  return {
    wss,
    route,
    docs,
    disconnectAgent(agentId) {
      for (const connection of connections) {
        if (connection.actor.id === agentId) recheck(connection, true)
      }
    },
    async close() {
      clearInterval(rechecks)
      docs.close()
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    },
  }
}

function safeDecode(path: string): string | null {
  try {
    return decodeURIComponent(path)
  } catch {
    return null
  }
}
