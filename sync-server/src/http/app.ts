/**
 * The HTTP surface, in matching order: `/healthz`, `/api/*` (sign-in open, the rest behind a
 * session), `/sync/*` (WebSocket upgrades, handed to the sync service), `/webhooks/*` (reserved for
 * WhatsApp), then the built web app for everything else.
 */
import { Hono, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Config } from '../config.js'
import type { Logger } from '../log.js'
import { createAccounts, type Accounts } from '../store/accounts.js'
import { createContactStore } from '../store/contacts.js'
import { createConversationStore } from '../store/conversations.js'
import type { Db } from '../store/db.js'
import { createSessions, type Sessions } from '../store/sessions.js'
import type { SyncService } from '../sync/service.js'
import { ApiError, handleError, notFound } from './errors.js'
import { createLoginThrottle, type LoginThrottle } from './login-throttle.js'
import { requireSession, type AuthEnv } from './middleware/auth.js'
import { sameOrigin } from './middleware/same-origin.js'
import { agentsRoutes } from './routes/agents.js'
import { cannedResponseRoutes } from './routes/canned-responses.js'
import { loginRoutes, sessionRoutes } from './routes/auth.js'
import { contactRoutes } from './routes/contacts.js'
import { conversationRoutes } from './routes/conversations.js'
import { healthRoutes } from './routes/health.js'
import { lifecycleRoutes } from './routes/lifecycle.js'
import { notificationRoutes } from './routes/notifications.js'
import { reportRoutes } from './routes/reports.js'
import { ticketRoutes } from './routes/tickets.js'

export const API_BODY_LIMIT = 1024 * 1024
/** Routes that receive files and enforce their own body limit. */
export const UPLOAD_PATH = /^\/api\/conversations\/[^/]+\/attachments$/

export interface WhatsAppRoutes {
  /** `/webhooks/whatsapp`: Meta's verification handshake and signed deliveries. */
  webhook: Hono
  /** `/api/media`: stored media, for signed-in agents only. */
  media: Hono<AuthEnv>
  /** Mounted on `/api` behind the session: outbound actions, templates, window. */
  api: Hono<AuthEnv>
  /** Demo only: the fake Graph API (`/simulator/graph`) and the simulator page's API. */
  simulator?: { graph: Hono; api: Hono<AuthEnv> }
}

export interface AppOptions {
  config: Pick<Config, 'demo'>
  db: Db
  log: Logger
  sync: Pick<SyncService, 'route' | 'disconnectAgent' | 'docs'>
  /** Default: built on `db`. Pass the instances the sync service authenticates against. */
  accounts?: Accounts
  sessions?: Sessions
  throttle?: LoginThrottle
  version?: string
  /** The WhatsApp bridge's routes (webhooks, media, outbound API) and, in demo, the simulator's. */
  whatsapp?: WhatsAppRoutes
  /** Serves the built SvelteKit app; mounted last so it never shadows the API. */
  webApp?: MiddlewareHandler | null
}

export function createApp(options: AppOptions): Hono {
  const { config, db, sync, webApp } = options
  const log = options.log.child('http')
  const accounts = options.accounts ?? createAccounts(db)
  const sessions = options.sessions ?? createSessions(db)
  const throttle = options.throttle ?? createLoginThrottle()
  const routeOptions = { accounts, sessions, throttle, log, sync }

  const api = new Hono<AuthEnv>()
  api.use('*', async (c, next) => {
    await next()
    c.header('Cache-Control', 'no-store')
  })
  const apiBodyLimit = bodyLimit({ maxSize: API_BODY_LIMIT })
  // Attachment uploads set their own, larger limit (20 MB and WhatsApp's per-type caps).
  api.use('*', (c, next) => (UPLOAD_PATH.test(c.req.path) ? next() : apiBodyLimit(c, next)))
  api.use('*', sameOrigin())
  api.route('/', loginRoutes(routeOptions))
  api.use('*', requireSession({ sessions }))
  api.route('/', sessionRoutes(routeOptions))
  api.route('/agents', agentsRoutes(routeOptions))
  api.route(
    '/conversations',
    conversationRoutes({
      docs: sync.docs,
      conversations: createConversationStore(db),
      contacts: createContactStore(db),
    }),
  )
  api.route('/notifications', notificationRoutes({ db, docs: sync.docs, sessions, log }))
  api.route('/conversations', lifecycleRoutes({ db, docs: sync.docs, log }))
  api.route('/tickets', ticketRoutes({ db, docs: sync.docs, log }))
  api.route('/contacts', contactRoutes({ db, docs: sync.docs, log }))
  api.route('/reports', reportRoutes({ db, accounts }))
  api.route('/canned-responses', cannedResponseRoutes({ db }))
  if (options.whatsapp) {
    // Uploads carry files: the media routes set their own, larger body limit.
    api.route('/media', options.whatsapp.media)
    api.route('/', options.whatsapp.api)
    if (options.whatsapp.simulator) api.route('/simulator', options.whatsapp.simulator.api)
  }
  api.all('*', (c) => {
    throw new ApiError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}`)
  })

  const app = new Hono()
  app.onError(handleError(log))
  app.notFound(notFound)
  app.route('/', healthRoutes({ demo: config.demo, version: options.version ?? '0.0.0' }))
  app.route('/api', api)
  app.get('/sync/*', sync.route)
  if (options.whatsapp) {
    app.route('/webhooks/whatsapp', options.whatsapp.webhook)
    if (options.whatsapp.simulator) app.route('/simulator/graph', options.whatsapp.simulator.graph)
  }
  // Anything else under /webhooks answers JSON 404 rather than the web app.
  app.all('/webhooks/*', notFound)
  if (webApp) app.use('*', webApp)
  return app
}
