/**
 * Wiring only: configuration → database → accounts → sync → HTTP, then graceful shutdown.
 * Prints `Atende listening on http://HOST:PORT` once listening (scripts and tests wait for it).
 */
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { ConfigError, loadConfig, type Config } from './config.js'
import { createApp } from './http/app.js'
import { closeNotificationStreams } from './http/routes/notifications.js'
import { createWebApp } from './http/web-app.js'
import { reconcileAtStart } from './lifecycle/close.js'
import { watchAgentReplies } from './lifecycle/inbox.js'
import { seedDemoContent } from './lifecycle/demo-content.js'
import { demoPasswordsInUse, seedAccounts } from './lifecycle/seed.js'
import { createLogger } from './log.js'
import { createAccounts } from './store/accounts.js'
import { createAuditLog } from './store/audit.js'
import { createChannelSettingsStore, toWhatsAppConfig } from './store/channel-settings.js'
import { openDatabase } from './store/db.js'
import { createSecretBox } from './store/secrets.js'
import { createSessions } from './store/sessions.js'
import { startReportRecorder } from './reports/recorder.js'
import { loadSecretKey } from './secret-key.js'
import { createSyncService } from './sync/service.js'
import { createChannelHolder } from './whatsapp/channel.js'
import { createDelivery } from './whatsapp/delivery.js'
import { createInbound } from './whatsapp/inbound/index.js'
import { createOutbound } from './whatsapp/outbound/index.js'
import { createSimulator, FAST_PACE } from './whatsapp/simulator/index.js'

// Same relative place from src/main.ts (tsx) and dist/main.js (built).
const PACKAGE_JSON = fileURLToPath(new URL('../package.json', import.meta.url))
const WEB_BUILD_DIR = fileURLToPath(new URL('../../build', import.meta.url))

function say(line: string): void {
  process.stdout.write(line + '\n')
}

function configOrExit(): Readonly<Config> {
  try {
    return loadConfig()
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    return exitWith(err)
  }
}

/** A bad setting: say which on stderr and stop (exit 1), before anything listens. */
function exitWith(err: ConfigError): never {
  process.stderr.write(`Atende cannot start: ${err.message}\n`)
  process.exit(1)
}

async function main(): Promise<void> {
  const config = configOrExit()
  const log = createLogger('atende', { level: config.logLevel })
  const version = (JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version

  const db = openDatabase(path.join(config.dataDir, 'atende.db'), {
    synchronous: config.sqliteSynchronous,
  })
  const accounts = createAccounts(db)
  const sessions = createSessions(db)
  const audit = createAuditLog(db)
  let secretKey: Uint8Array
  try {
    secretKey = loadSecretKey({ key: config.secretKey, dataDir: config.dataDir })
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    db.close()
    return exitWith(err)
  }
  const channelSettings = createChannelSettingsStore({
    db,
    secrets: createSecretBox(secretKey),
    log: log.child('settings'),
  })
  const { demoSignIns } = await seedAccounts({ config, accounts, log }).catch((err: unknown) => {
    if (!(err instanceof ConfigError)) throw err
    db.close()
    return exitWith(err)
  })
  // The one-command demo (no admin configured) starts with canned responses and a template.
  if (config.demo && config.adminEmail === null) seedDemoContent({ db, accounts, log })

  const sync = createSyncService({
    db,
    log: log.child('sync'),
    authenticate: sessions.authenticate,
    agentName: (agentId) => accounts.get(agentId)?.name ?? null,
  })
  // A close that crashed after filing but before removing the inbox card is finished here.
  reconcileAtStart({ db, docs: sync.docs, log: log.child('lifecycle') })
  watchAgentReplies(sync.docs)
  startReportRecorder({ db, docs: sync.docs, log: log.child('reports') })
  // WhatsApp, first found wins: the settings an admin saved (on WHATSAPP_API_BASE's host), the
  // environment's credentials, or (demo) the embedded simulator, whose credentials are known once
  // the server knows its own port. A save later switches the channel at once (no restart).
  const channel = createChannelHolder()
  const saved = channelSettings.get()
  const configured = saved ? toWhatsAppConfig(saved, config.whatsappApiBase) : config.whatsapp
  if (configured) channel.set(configured)
  const delivery = createDelivery({ db, docs: sync.docs, log: log.child('whatsapp:delivery') })
  const bridge = { db, docs: sync.docs, channel, delivery, dataDir: config.dataDir }
  const inbound = createInbound({ ...bridge, log: log.child('whatsapp:in') })
  const outbound = createOutbound({ ...bridge, log: log.child('whatsapp:out'), audit })
  // The one-command demo (no admin configured) comes alive at once; a demo with a configured admin
  // (tests, trials) stays quiet until someone opens the /simulator page.
  const simulator = !configured
    ? createSimulator({
        log: log.child('simulator'),
        ambient: config.adminEmail === null ? 'always' : 'auto',
        pace: config.simulatorPace === 'fast' ? FAST_PACE : undefined,
        progressFile: path.join(config.dataDir, 'simulator.json'),
      })
    : null

  const webApp = await createWebApp(WEB_BUILD_DIR)
  const app = createApp({
    config,
    db,
    log,
    sync,
    accounts,
    sessions,
    version,
    webApp,
    audit,
    channelSettings: {
      channel,
      channelSettings,
      environment: config.whatsapp,
      graphBase: config.whatsappApiBase,
      // Saved credentials replace the simulator's: its fake customers stop writing.
      onChannelSaved: () => void simulator?.stop(),
      demoPasswordsInUse: () => demoPasswordsInUse(accounts),
    },
    whatsapp: {
      webhook: inbound.webhookRoutes,
      media: inbound.mediaRoutes,
      api: outbound.apiRoutes,
      simulator: simulator ? { graph: simulator.graphRoutes, api: simulator.apiRoutes } : undefined,
    },
  })

  const server = serve(
    { fetch: app.fetch, port: config.port, hostname: config.host, websocket: { server: sync.wss } },
    (info: AddressInfo) => {
      const url = `http://${info.family === 'IPv6' ? `[${info.address}]` : info.address}:${info.port}`
      log.info('listening', {
        host: info.address,
        port: info.port,
        demo: simulator !== null,
        source: saved ? 'settings' : config.whatsapp ? 'environment' : 'simulator',
        version,
        web: webApp !== null,
      })
      if (simulator) {
        // The simulator is reached on loopback whatever HOST is (0.0.0.0 is not an address to call).
        const origin = `http://127.0.0.1:${info.port}`
        channel.set(simulator.credentials(origin), true)
        simulator.start(origin)
      }
      inbound.start()
      outbound.start()
      say(`Atende listening on ${url}`)
      if (!webApp)
        say('The web app is not built (no build/handler.js): serving the API and sync only.')
      // Once a real number is connected the demo passwords were changed (settings insist): not printed.
      if (simulator && demoSignIns.length > 0) {
        say('Demo mode (no WhatsApp credentials). Sign in as:')
        for (const account of demoSignIns) {
          say(
            `  ${account.role.padEnd(5)}  ${account.email}  password: ${account.password}  (${account.name})`,
          )
        }
      }
    },
  )
  server.on('error', (err: NodeJS.ErrnoException) => {
    log.error('server failed', { code: err.code, err })
    process.stderr.write(`Atende cannot start: ${err.message}\n`)
    process.exit(1)
  })

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info('shutting down', { signal })
    try {
      closeNotificationStreams() // open event streams would hold server.close() for its timeout
      await simulator?.stop()
      await outbound.stop()
      await inbound.stop()
      await sync.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        // close() waits for requests in flight; give them a moment, then cut what is left.
        setTimeout(() => {
          if ('closeAllConnections' in server) server.closeAllConnections()
        }, 5000).unref()
      })
      db.close()
      process.exit(0)
    } catch (err) {
      log.error('shutdown failed', { err })
      process.exit(1)
    }
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

main().catch((err: unknown) => {
  createLogger('atende').error('start-up failed', {
    err,
    stack: err instanceof Error ? err.stack : undefined,
  })
  process.exit(1)
})
