/**
 * The outbound half of the WhatsApp bridge: agent messages leave through a SQLite outbox (see
 * store/outbox.ts for the state machine and the restart rule, sender.ts for the worker, watch.ts
 * for how messages are found), plus the API agents use around sending (routes.ts).
 */
import { Hono } from 'hono'
import type { AuthEnv } from '../../http/middleware/auth.js'
import type { Logger } from '../../log.js'
import { createAgentMediaStore } from '../../store/agent-media.js'
import type { AuditLog } from '../../store/audit.js'
import { createContactStore } from '../../store/contacts.js'
import type { Db } from '../../store/db.js'
import { createOutbox } from '../../store/outbox.js'
import { createSettingsStore } from '../../store/settings.js'
import { createTemplateStore } from '../../store/templates.js'
import type { DocManager } from '../../sync/docs.js'
import type { ChannelHolder } from '../channel.js'
import type { Delivery } from '../delivery.js'
import { attachmentReader } from './attachments.js'
import { outboundRoutes } from './routes.js'
import { createSender, type SenderOptions } from './sender.js'
import { watchConversations } from './watch.js'

export interface OutboundOptions {
  db: Db
  docs: DocManager
  channel: ChannelHolder
  log: Logger
  dataDir: string
  /** Where sent messages' wamids are recorded (../delivery.ts). */
  delivery: Pick<Delivery, 'recordSent'>
  /** Where admins' changes of templates and read receipts are recorded. */
  audit?: AuditLog
  /** Worker tuning (tests): backoff, concurrency, per-customer cap, clock, timers. */
  sender?: Partial<
    Pick<
      SenderOptions,
      'backoff' | 'concurrency' | 'perCustomerPerMinute' | 'now' | 'timers' | 'uploadTtlMs'
    >
  >
}

export interface Outbound {
  /** Mounted at `/api` behind the session (templates, retry, attachments, window, seen). */
  apiRoutes: Hono<AuthEnv>
  /** Starts watching conversation docs for agent messages and resumes the outbox. */
  start(): void
  stop(): Promise<void>
  /** Starts due sends now (tests with `timers: false`). */
  pump(): void
  /** Resolves once no send is in flight (tests). */
  idle(): Promise<void>
}

export function createOutbound(options: OutboundOptions): Outbound {
  const { db, docs, channel, log, dataDir } = options
  const now = options.sender?.now ?? Date.now
  const outbox = createOutbox(db)
  const media = createAgentMediaStore(db)
  const sender = createSender({
    ...options.sender,
    outbox,
    docs,
    channel,
    contacts: createContactStore(db),
    readAttachment: attachmentReader(media),
    delivery: options.delivery,
    log,
  })
  const apiRoutes = outboundRoutes({
    docs,
    channel,
    outbox,
    media,
    templates: createTemplateStore(db),
    settings: createSettingsStore(db),
    audit: options.audit,
    log,
    dataDir,
    now,
    wake: () => sender.wake(),
  })
  let detach: (() => void) | null = null

  return {
    apiRoutes,
    start() {
      // The restart rule: an attempt cut off mid-call may have reached the customer.
      const interrupted = outbox.recoverInterrupted(now())
      if (interrupted > 0)
        log.warn('sends cut off by a restart marked unknown', { count: interrupted })
      for (const row of outbox.unsynced()) sender.settle(row.messageId)
      detach = watchConversations({ docs, outbox, log, now, onQueued: () => sender.wake() })
      sender.wake()
    },
    async stop() {
      detach?.()
      detach = null
      await sender.stop()
    },
    pump: () => sender.pump(),
    idle: () => sender.idle(),
  }
}
