/**
 * The `/api` routes an app built the way main.ts builds it has mounted, read from Hono's own
 * `app.routes`: built in-process on a temp database with the WhatsApp bridge, the settings and (in
 * demo) the simulator, none of them started. Middleware (`ALL`) is left out: only handlers count.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createApp } from '../../src/http/app.js'
import { createLogger } from '../../src/log.js'
import { createChannelSettingsStore } from '../../src/store/channel-settings.js'
import { openDatabase } from '../../src/store/db.js'
import { createSecretBox } from '../../src/store/secrets.js'
import { createSessions } from '../../src/store/sessions.js'
import { createSyncService } from '../../src/sync/service.js'
import { createChannelHolder } from '../../src/whatsapp/channel.js'
import { createDelivery } from '../../src/whatsapp/delivery.js'
import { createInbound } from '../../src/whatsapp/inbound/index.js'
import { createOutbound } from '../../src/whatsapp/outbound/index.js'
import { createSimulator } from '../../src/whatsapp/simulator/index.js'

export interface MountedRoute {
  method: string
  path: string
}

export async function mountedApiRoutes(options: { demo: boolean }): Promise<MountedRoute[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atende-routes-'))
  const db = openDatabase(path.join(dataDir, 'atende.db'))
  const log = createLogger('routes', { write: () => {} })
  const sessions = createSessions(db)
  const sync = createSyncService({ db, log, authenticate: sessions.authenticate })
  try {
    const channel = createChannelHolder()
    const delivery = createDelivery({ db, docs: sync.docs, log })
    const bridge = { db, docs: sync.docs, channel, delivery, dataDir }
    const inbound = createInbound({ ...bridge, log })
    const outbound = createOutbound({ ...bridge, log })
    const simulator = options.demo ? createSimulator({ log, ambient: 'off' }) : null
    const channelSettings = createChannelSettingsStore({
      db,
      secrets: createSecretBox(randomBytes(32)),
      log,
    })
    const app = createApp({
      config: { demo: options.demo },
      db,
      log,
      sync,
      sessions,
      whatsapp: {
        webhook: inbound.webhookRoutes,
        media: inbound.mediaRoutes,
        api: outbound.apiRoutes,
        simulator: simulator
          ? { graph: simulator.graphRoutes, api: simulator.apiRoutes }
          : undefined,
      },
      channelSettings: {
        channel,
        channelSettings,
        environment: null,
        graphBase: 'https://graph.facebook.com/v25.0',
      },
    })
    const seen = new Set<string>()
    const routes: MountedRoute[] = []
    for (const { method, path: routePath } of app.routes) {
      if (method === 'ALL' || !routePath.startsWith('/api/')) continue
      const key = `${method} ${routePath}`
      if (seen.has(key)) continue
      seen.add(key)
      routes.push({ method, path: routePath })
    }
    return routes
  } finally {
    await sync.close()
    db.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
