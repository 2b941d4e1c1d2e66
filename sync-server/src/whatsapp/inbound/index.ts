// STUB: the WhatsApp inbound engineer replaces this file's body; keep the exported interface.
import { Hono } from 'hono'
import type { AuthEnv } from '../../http/middleware/auth.js'
import type { Logger } from '../../log.js'
import type { Db } from '../../store/db.js'
import type { DocManager } from '../../sync/docs.js'
import type { ChannelHolder } from '../channel.js'

export interface InboundOptions {
  db: Db
  docs: DocManager
  channel: ChannelHolder
  log: Logger
  dataDir: string
}

export interface Inbound {
  /** Mounted at `/webhooks/whatsapp` (no session: Meta signs its requests). */
  webhookRoutes: Hono
  /** Mounted at `/api/media` behind the session: customer and agent media, signed-in agents only. */
  mediaRoutes: Hono<AuthEnv>
  /** Links a sent agent message to its wamid and applies statuses that arrived before it. */
  recordOutbound(wamid: string, conversationId: string, messageId: string): void
  /** Replays webhook events accepted but not yet applied, resumes media downloads. */
  start(): void
  stop(): Promise<void>
}

export function createInbound(options: InboundOptions): Inbound {
  void options
  return {
    webhookRoutes: new Hono(),
    mediaRoutes: new Hono<AuthEnv>(),
    recordOutbound() {},
    start() {},
    async stop() {},
  }
}
