// STUB: the simulator engineer replaces this file's body; keep the exported interface.
import { Hono } from 'hono'
import type { WhatsAppConfig } from '../../config.js'
import type { AuthEnv } from '../../http/middleware/auth.js'
import type { Logger } from '../../log.js'

export interface SimulatorOptions {
  log: Logger
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
}

export function createSimulator(options: SimulatorOptions): Simulator {
  void options
  return {
    graphRoutes: new Hono(),
    apiRoutes: new Hono<AuthEnv>(),
    credentials: (origin) => ({
      apiBase: `${origin}/simulator/graph/v25.0`,
      accessToken: 'demo-access-token',
      phoneNumberId: '100000000000001',
      appSecret: 'demo-app-secret',
      verifyToken: 'demo-verify-token',
    }),
    start() {},
    async stop() {},
  }
}
