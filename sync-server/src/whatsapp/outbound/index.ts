// STUB: the WhatsApp outbound engineer replaces this file's body; keep the exported interface.
import { Hono } from 'hono'
import type { AuthEnv } from '../../http/middleware/auth.js'
import type { Logger } from '../../log.js'
import type { Db } from '../../store/db.js'
import type { DocManager } from '../../sync/docs.js'
import type { ChannelHolder } from '../channel.js'
import type { Inbound } from '../inbound/index.js'

export interface OutboundOptions {
  db: Db
  docs: DocManager
  channel: ChannelHolder
  log: Logger
  dataDir: string
  recordOutbound: Inbound['recordOutbound']
}

export interface Outbound {
  /** Mounted at `/api` behind the session (templates, retry, attachments, window, seen). */
  apiRoutes: Hono<AuthEnv>
  /** Starts watching conversation docs for agent messages and resumes the outbox. */
  start(): void
  stop(): Promise<void>
}

export function createOutbound(options: OutboundOptions): Outbound {
  void options
  return { apiRoutes: new Hono<AuthEnv>(), start() {}, async stop() {} }
}
