import { Hono } from 'hono'

export interface HealthOptions {
  /** Read per request: saving WhatsApp settings leaves demo mode without a restart. */
  demo: () => boolean
  version: string
}

/** `GET /healthz`: unauthenticated liveness for load balancers and the start-up scripts. */
export function healthRoutes(options: HealthOptions): Hono {
  const { demo, version } = options
  return new Hono().get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store')
    return c.json({ ok: true, demo: demo(), version })
  })
}
