// Interface of the sync service (implementation in progress by the sync owner).
import type { MiddlewareHandler } from 'hono'
import type { WebSocketServer } from 'ws'
import type { Actor } from '@atende/shared'
import type { Db } from '../store/db.js'
import type { Logger } from '../log.js'

export interface SyncServiceOptions {
  db: Db
  log: Logger
  /** Resolves a session token (from `?token=` or the `atende_session` cookie) to who it belongs to. */
  authenticate: (token: string) => Actor | null
}

export interface SyncService {
  /** The `ws` server to pass to `serve({ websocket: { server: sync.wss } })`. */
  wss: WebSocketServer
  /** Mount with `app.get('/sync/*', sync.route)`. */
  route: MiddlewareHandler
  /** Close every socket of an agent (deactivated, signed out everywhere). */
  disconnectAgent(agentId: string): void
  /** Flush and unload every document, close every socket. */
  close(): Promise<void>
}

export declare function createSyncService(options: SyncServiceOptions): SyncService
