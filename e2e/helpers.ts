/**
 * Shared set-up for browser journeys: a real Atende server (API, sync and the BUILT web app) on a
 * free port with a throwaway data directory, and a headless Chromium driven by playwright-core.
 * Nothing sleeps: every wait is for a condition (a log line, a process exit, an element).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))
const SERVER_ENTRY = path.join(REPO_ROOT, 'sync-server/src/main.ts')
const WEB_HANDLER = path.join(REPO_ROOT, 'build/handler.js')
const START_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 10_000

export interface TestServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string
  admin: { email: string; password: string }
  /** Everything the server printed so far (for failure messages). */
  output(): string
  stop(): Promise<void>
}

/**
 * Starts `node --conditions=source --import tsx sync-server/src/main.ts` with PORT=0, a temp DATA_DIR and an admin
 * account, and resolves once it prints `listening on http://…`. Requires the built web app.
 */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  if (!existsSync(WEB_HANDLER)) {
    throw new Error(
      `${WEB_HANDLER} is missing: build the web app first (npx vite build, or npm run test:e2e)`,
    )
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'atende-e2e-'))
  const admin = {
    email: 'admin@e2e.atende.test',
    password: `e2e-${randomBytes(9).toString('hex')}`,
  }
  // Never inherit real WhatsApp credentials: journeys run against the built-in simulator.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('WHATSAPP_')),
  )
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', SERVER_ENTRY], {
    cwd: REPO_ROOT,
    env: {
      ...inherited,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })

  let output = ''
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms:\n${output}`)),
        START_TIMEOUT_MS,
      )
      const onData = (chunk: Buffer) => {
        output += chunk.toString()
        const match = /listening on (http:\/\/[^\s"]+)/.exec(output)
        if (match?.[1]) {
          clearTimeout(timer)
          resolve(match[1].replace(/\/$/, ''))
        }
      }
      child.stdout!.on('data', onData)
      child.stderr!.on('data', onData)
      void exited.then((code) => {
        clearTimeout(timer)
        reject(new Error(`server exited (code ${code}) before listening:\n${output}`))
      })
    })
    return {
      url,
      admin,
      output: () => output,
      stop: async () => {
        await stopProcess(child, exited)
        await rm(dataDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await stopProcess(child, exited)
    await rm(dataDir, { recursive: true, force: true })
    throw error
  }
}

async function stopProcess(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
  await exited
  clearTimeout(timer)
}

export interface ApiUser {
  id: string
  name: string
  email: string
  role: string
}

/** Signs in outside the browser: the agent's profile and a bearer token for further API calls. */
export async function apiSignIn(
  server: TestServer,
  credentials = server.admin,
): Promise<{ status: number; user?: ApiUser; token?: string }> {
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  })
  const body = (await response.json().catch(() => ({}))) as { user?: ApiUser; token?: string }
  return { status: response.status, user: body.user, token: body.token }
}

/** Calls the API as the holder of `token`; throws unless the answer is 2xx. */
export async function api<T>(
  server: TestServer,
  token: string,
  method: string,
  path: string,
  json?: unknown,
): Promise<T> {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: json === undefined ? undefined : JSON.stringify(json),
  })
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

/**
 * Headless Chromium from the system (never downloaded). Each test opens its own context. `args`
 * adds switches (e.g. a fake microphone for voice messages).
 */
export function launchBrowser(options: { args?: string[] } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
  })
}

export interface OpenPageOptions {
  /** Browser UI language (`navigator.languages`, Accept-Language). Default `en-US`. */
  locale?: string
  viewport?: { width: number; height: number }
  /** A touch screen, so `tap()` works (phone journeys). */
  hasTouch?: boolean
}

/**
 * A fresh context (its own cookies, localStorage and IndexedDB) and a page in it. Page errors are
 * echoed to stderr so a failing journey shows what the app threw.
 */
export async function openPage(
  browser: Browser,
  options: OpenPageOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    viewport: options.viewport ?? { width: 1100, height: 700 },
    hasTouch: options.hasTouch ?? false,
  })
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  page.on('pageerror', (error) =>
    process.stderr.write(`[page error] ${error.stack ?? error.message}\n`),
  )
  return { context, page }
}

/** Signs in through the login form and waits for the inbox. */
export async function signInThroughForm(
  page: Page,
  server: TestServer,
  labels = { email: 'Email', password: 'Password', submit: 'Sign in' },
  credentials = server.admin,
): Promise<void> {
  if (!new URL(page.url()).pathname.startsWith('/login')) await page.goto(`${server.url}/login`)
  await page.getByLabel(labels.email, { exact: true }).fill(credentials.email)
  await page.getByLabel(labels.password, { exact: true }).fill(credentials.password)
  await page.getByRole('button', { name: labels.submit, exact: true }).click()
  await page.waitForURL((url) => url.pathname.startsWith('/inbox'))
}

/**
 * Resolves once the service worker is active: the app is cached and the next navigation (the
 * offline reload) goes through it. This page itself may stay uncontrolled when it was navigated to
 * while the worker was activating; that changes nothing for the reload.
 */
export async function waitForServiceWorker(page: Page): Promise<void> {
  const active = await page.evaluate(() =>
    Promise.race([
      navigator.serviceWorker.ready.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000)),
    ]),
  )
  if (!active) throw new Error('the service worker did not activate within 20 s')
}
