/**
 * The HTTP surface, in matching order: `/healthz`, `/api/*` (sign-in open, the rest behind a
 * session), `/sync/*` (WebSocket upgrades, handed to the sync service), `/webhooks/*` (reserved for
 * WhatsApp), then the built web app for everything else.
 */
import { Hono, type MiddlewareHandler } from 'hono'
import type { Config } from '../config.js'
import type { Logger } from '../log.js'
import { createAccounts, type Accounts } from '../store/accounts.js'
import { createAuditLog, type AuditLog } from '../store/audit.js'
import { createContactStore } from '../store/contacts.js'
import { createConversationStore } from '../store/conversations.js'
import type { Db } from '../store/db.js'
import { createSessions, type Sessions } from '../store/sessions.js'
import { createSettingsStore } from '../store/settings.js'
import type { SyncService } from '../sync/service.js'
import { API_ACCESS } from './access.js'
import { ApiError, handleError, notFound } from './errors.js'
import { createLoginThrottle, type LoginThrottle } from './login-throttle.js'
import { requireSession, type AuthEnv } from './middleware/auth.js'
import { authorize } from './middleware/authorize.js'
import { sameOrigin } from './middleware/same-origin.js'
import { securityHeaders } from './middleware/security-headers.js'
import { agentsRoutes } from './routes/agents.js'
import { auditRoutes } from './routes/audit.js'
import { cannedResponseRoutes } from './routes/canned-responses.js'
import { loginRoutes, sessionRoutes } from './routes/auth.js'
import { contactRoutes } from './routes/contacts.js'
import { conversationRoutes } from './routes/conversations.js'
import { healthRoutes } from './routes/health.js'
import { lifecycleRoutes } from './routes/lifecycle.js'
import { notificationRoutes } from './routes/notifications.js'
import { reportRoutes } from './routes/reports.js'
import { settingsRoutes, type SettingsRoutesOptions } from './routes/settings.js'
import { ticketRoutes } from './routes/tickets.js'

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
  config: Pick<Config, 'demo'> & Partial<Pick<Config, 'trustProxy'>>
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
  /**
   * The WhatsApp channel settings admins save (`/api/settings`); its channel's `demo` also answers
   * `/healthz`. Without it, `/api/settings` is not mounted and `/healthz` says `config.demo`.
   */
  channelSettings?: Omit<SettingsRoutesOptions, 'settings' | 'audit' | 'log'>
  /** Default: built on `db`. Records admin actions (`/api/audit`). */
  audit?: AuditLog
  /** Serves the built SvelteKit app; mounted last so it never shadows the API. */
  webApp?: MiddlewareHandler | null
}

export function createApp(options: AppOptions): Hono {
  const { config, db, sync, webApp } = options
  const log = options.log.child('http')
  const accounts = options.accounts ?? createAccounts(db)
  const sessions = options.sessions ?? createSessions(db)
  const throttle = options.throttle ?? createLoginThrottle()
  const audit = options.audit ?? createAuditLog(db)
  const routeOptions = {
    accounts,
    sessions,
    throttle,
    log,
    sync,
    audit,
    db,
    trustProxy: config.trustProxy ?? null,
  }

  const api = new Hono<AuthEnv>()
  api.use('*', async (c, next) => {
    await next()
    c.header('Cache-Control', 'no-store')
  })
  api.use('*', sameOrigin())
  // Who may call each route and how large its body may be: one table, access.ts (404 if undeclared).
  api.use('*', authorize(API_ACCESS, { sessions }))
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
  api.route('/conversations', lifecycleRoutes({ db, docs: sync.docs, log, audit }))
  api.route('/tickets', ticketRoutes({ db, docs: sync.docs, log }))
  api.route('/contacts', contactRoutes({ db, docs: sync.docs, log }))
  api.route('/reports', reportRoutes({ db, accounts, audit }))
  api.route('/canned-responses', cannedResponseRoutes({ db, audit }))
  // Checks admin per route: `/settings/read-receipts` (in whatsapp.api, below) stays reachable.
  if (options.channelSettings) {
    const settings = createSettingsStore(db)
    api.route('/settings', settingsRoutes({ ...options.channelSettings, settings, audit, log }))
  }
  api.route('/audit', auditRoutes({ audit }))
  if (options.whatsapp) {
    // Attachments take up to 20 MB (access.ts) and check WhatsApp's per-type limits themselves.
    api.route('/media', options.whatsapp.media)
    api.route('/', options.whatsapp.api)
    if (options.whatsapp.simulator) api.route('/simulator', options.whatsapp.simulator.api)
  }
  api.all('*', (c) => {
    throw new ApiError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}`)
  })

  const app = new Hono()
  app.use('*', securityHeaders())
  app.onError(handleError(log))
  app.notFound(notFound)
  const channel = options.channelSettings?.channel
  const demo = () => (channel ? channel.demo : config.demo)
  app.route('/', healthRoutes({ demo, version: options.version ?? '0.0.0' }))
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
