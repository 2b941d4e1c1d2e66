/**
 * The inbound side of the WhatsApp bridge: signed webhooks in (webhook.ts), made durable before the
 * 200 (intake.ts), applied to the documents (apply.ts, write.ts; statuses of our sends go through
 * ../delivery.ts), customer media downloaded and served (media.ts, media-routes.ts).
 */
import path from 'node:path'
import type { Hono } from 'hono'
import type { AuthEnv } from '../../http/middleware/auth.js'
import type { Logger } from '../../log.js'
import { createContactStore } from '../../store/contacts.js'
import { createConversationStore } from '../../store/conversations.js'
import type { Db } from '../../store/db.js'
import { createMediaStore } from '../../store/media.js'
import { createWaMessageStore } from '../../store/wa-messages.js'
import { createWebhookEventStore } from '../../store/webhook-events.js'
import type { DocManager } from '../../sync/docs.js'
import type { ChannelHolder } from '../channel.js'
import type { Delivery } from '../delivery.js'
import { applyEvents, type ApplyDeps } from './apply.js'
import { createIntake } from './intake.js'
import { createMediaFetcher } from './media.js'
import { mediaRoutes } from './media-routes.js'
import { webhookRoutes } from './webhook.js'

export interface InboundOptions {
  db: Db
  docs: DocManager
  channel: ChannelHolder
  log: Logger
  dataDir: string
  /** Statuses left waiting for a recorded wamid are applied at start (../delivery.ts). */
  delivery: Pick<Delivery, 'resumeStranded'>
  /** Media download retry delays (tests shorten them). */
  mediaRetryDelaysMs?: readonly number[]
  /** While webhooks pour in, how far apart batches are applied (ms; default 10-50). */
  applyWindowMs?: { min: number; max: number }
}

export interface Inbound {
  /** Mounted at `/webhooks/whatsapp` (no session: Meta signs its requests). */
  webhookRoutes: Hono
  /** Mounted at `/api/media` behind the session: customer and agent media, signed-in agents only. */
  mediaRoutes: Hono<AuthEnv>
  /** Replays webhook events accepted but not yet applied, resumes media downloads. */
  start(): void
  stop(): Promise<void>
}

/** Statuses and reactions waiting for a wamid that never came are dropped after this. */
const KEEP_PENDING_MS = 30 * 24 * 60 * 60 * 1000
const PRUNE_EVERY_MS = 60 * 60 * 1000

export function createInbound(options: InboundOptions): Inbound {
  const { db, docs, channel, log } = options
  const mediaDir = path.join(options.dataDir, 'media')
  const events = createWebhookEventStore(db)
  const wa = createWaMessageStore(db)
  const media = createMediaStore(db)
  const fetcher = createMediaFetcher({
    store: media,
    docs,
    channel,
    log: log.child('media'),
    dir: mediaDir,
    retryDelaysMs: options.mediaRetryDelaysMs,
  })
  const applyDeps: ApplyDeps = {
    db,
    docs,
    contacts: createContactStore(db),
    conversations: createConversationStore(db),
    events,
    wa,
    media,
    log,
    phoneNumberId: () => channel.config?.phoneNumberId ?? null,
    onMediaQueued: () => fetcher.kick(),
  }
  const intake = createIntake({
    events,
    apply: (batch) => applyEvents(applyDeps, batch),
    log,
    applyWindowMs: options.applyWindowMs,
  })
  let pruneTimer: NodeJS.Timeout | null = null

  const prune = () => {
    const now = Date.now()
    // Applied events go as they are applied; this sweeps those older versions kept (a week).
    const events_ = events.prune(now)
    const pending = wa.prunePending(now - KEEP_PENDING_MS)
    if (events_ + pending > 0) log.info('pruned', { events: events_, pending })
  }

  return {
    webhookRoutes: webhookRoutes({ channel, intake, log }),
    mediaRoutes: mediaRoutes({ store: media, dir: mediaDir }),
    start() {
      const started = performance.now()
      const replayed = intake.replay()
      const stranded = options.delivery.resumeStranded()
      if (replayed + stranded > 0) {
        log.info('webhook events replayed', {
          events: replayed,
          stranded,
          ms: Math.round(performance.now() - started),
        })
      }
      prune()
      pruneTimer = setInterval(prune, PRUNE_EVERY_MS)
      pruneTimer.unref()
      fetcher.start()
    },
    async stop() {
      if (pruneTimer) clearInterval(pruneTimer)
      intake.drain()
      await fetcher.stop()
    },
  }
}
