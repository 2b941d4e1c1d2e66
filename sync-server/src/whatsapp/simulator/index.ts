/**
 * The embedded WhatsApp simulator (demo mode): Meta's side, played inside our own process but
 * reached over HTTP like the real thing. The fake Graph API answers the channel's calls at
 * `/simulator/graph/v25.0`; fake customers write through signed webhooks to `/webhooks/whatsapp`;
 * `/api/simulator` lets a person play a customer. Credentials are fresh at every process start.
 */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import type { WhatsAppConfig } from '../../config.js'
import type { AuthEnv } from '../../http/middleware/auth.js'
import type { Logger } from '../../log.js'
import { simulatorApi } from './api.js'
import { createCustomerBook, type CustomerBook } from './customers.js'
import { createEngine, type Pace } from './engine.js'
import { createFakeGraph, type FakeGraph } from './fake-graph.js'
import type { Business } from './payloads.js'
import { PERSONAS, type Persona } from './personas.js'
import { createProgressStore } from './progress.js'
import { createTimers, createWebhookQueue } from './webhook-queue.js'

export { FAST_PACE } from './engine.js'

export const GRAPH_VERSION = 'v25.0'
/** The demo business number (fictional): its Graph id and how webhooks display it. */
export const DEMO_BUSINESS: Business = {
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '551140040000',
}

export interface SimulatorOptions {
  log: Logger
  /**
   * When the personas start writing on their own: 'auto' (default) once someone uses the
   * simulator page, 'always' from start(), 'off' never (agent replies still get statuses).
   */
  ambient?: 'auto' | 'always' | 'off'
  personas?: readonly Persona[]
  pace?: Partial<Pace>
  /**
   * Where the personas' progress is kept across restarts (`DATA_DIR/simulator.json`); without
   * one, every start is a fresh demo.
   */
  progressFile?: string
  /** For tests: where webhooks are POSTed through, and the dice. */
  fetch?: typeof fetch
  random?: () => number
  retryDelaysMs?: number[]
}

export interface Simulator {
  /** The fake Graph API, mounted at `/simulator/graph` (the channel's apiBase points here). */
  graphRoutes: Hono
  /** The `/simulator` page's API, mounted at `/api/simulator` behind the session. */
  apiRoutes: Hono<AuthEnv>
  /** Credentials that point the channel at this simulator, once the server listens at `origin`. */
  credentials(origin: string): WhatsAppConfig
  /** Fake customers start writing now and then, as signed webhooks to `${origin}/webhooks/whatsapp`. */
  start(origin: string): void
  stop(): Promise<void>
  /** For tests and the page: the fake Graph's records and the customers' chats. */
  graph: FakeGraph
  book: CustomerBook
}

const secret = () => randomBytes(24).toString('hex')

export function createSimulator(options: SimulatorOptions): Simulator {
  const { log } = options
  const accessToken = 'EAAD' + randomBytes(32).toString('base64url')
  const appSecret = secret()
  const verifyToken = secret()
  const personas = options.personas ?? PERSONAS
  const graph = createFakeGraph({
    accessToken,
    phoneNumberId: DEMO_BUSINESS.phoneNumberId,
    displayPhoneNumber: DEMO_BUSINESS.displayPhoneNumber,
    verifiedName: 'Atende Demo',
  })
  const book = createCustomerBook(personas)
  const timers = createTimers()
  const queue = createWebhookQueue(
    { appSecret, log, fetch: options.fetch, retryDelaysMs: options.retryDelaysMs },
    timers,
  )
  const engine = createEngine({
    graph,
    book,
    business: DEMO_BUSINESS,
    queue,
    timers,
    log,
    personas,
    pace: options.pace,
    random: options.random,
    progress: createProgressStore(options.progressFile ?? null, log),
  })
  const ambient = options.ambient ?? 'auto'
  const apiRoutes = simulatorApi({
    book,
    graph,
    engine: {
      ...engine,
      startAmbient: () => (ambient === 'auto' ? engine.startAmbient() : undefined),
    },
  })

  return {
    graphRoutes: graph.app,
    apiRoutes,
    graph,
    book,
    credentials: (origin) => ({
      apiBase: `${origin}/simulator/graph/${GRAPH_VERSION}`,
      accessToken,
      phoneNumberId: DEMO_BUSINESS.phoneNumberId,
      appSecret,
      verifyToken,
    }),
    start(origin) {
      engine.start(origin)
      log.info('simulator started', { personas: personas.length, ambient })
      if (ambient === 'always') engine.startAmbient()
    },
    async stop() {
      engine.stop()
      graph.releaseHung()
    },
  }
}
