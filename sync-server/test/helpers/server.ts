/**
 * Starts the real server as a child process
 * (`node --conditions=source --import tsx sync-server/src/main.ts`) on a free port with a temp data
 * dir, and waits for its `listening on http://` line: no sleeps. The child
 * resolves `@atende/shared` to its TypeScript source (the `source` export condition), like vitest.
 *
 *   const server = await startTestServer()
 *   const token = await server.login(TEST_ADMIN.email, TEST_ADMIN.password)
 *   const again = await server.restart() // same data dir, new process
 *   await again.stop()
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEMO_ACCOUNTS } from '../../src/lifecycle/seed.js'

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const TEST_ADMIN = { email: 'admin@test.local', password: 'test-admin-password-1' } as const
const DEMO_ADMIN = DEMO_ACCOUNTS.find((account) => account.role === 'admin')!

const CONFIG_VARIABLES =
  /^(PORT|HOST|DATA_DIR|ADMIN_EMAIL|ADMIN_PASSWORD|TRUST_PROXY|SIMULATOR_PACE|WHATSAPP_[A-Z_]+)$/
const LISTENING = /listening on (http:\/\/(\S+):(\d+))/
const START_TIMEOUT_MS = 30_000

export interface TestServerOptions {
  /** Reuse a data dir (a restart); it is then never deleted by `stop()`. */
  dataDir?: string
  /** Keep the temp data dir after `stop()` (to start again on it). */
  keepData?: boolean
  /** Environment overrides; `undefined` removes a variable (e.g. ADMIN_EMAIL for demo mode). */
  env?: Record<string, string | undefined>
}

export interface RequestInit {
  method?: string
  token?: string
  json?: unknown
  headers?: Record<string, string>
  body?: string
}

export interface TestServer {
  url: string
  wsUrl: string
  port: number
  dataDir: string
  child: ChildProcess
  /** Everything the process printed so far. */
  output(): { stdout: string; stderr: string }
  /** `fetch(url + path)` with an optional Bearer token and JSON body. */
  request(path: string, init?: RequestInit): Promise<Response>
  /** Signs in and returns the session token; throws unless the answer is 200. */
  login(email: string, password: string): Promise<string>
  /** Signs in as the seeded admin (ADMIN_EMAIL as started, else the demo admin). */
  loginAdmin(): Promise<string>
  /** SIGTERM and wait for exit; removes the data dir unless kept or given. Resolves the exit code. */
  stop(): Promise<number | null>
  /** SIGKILL and wait for exit (the data dir is kept, for a restart). */
  kill9(): Promise<void>
  /** Stops this server (keeping its data) and starts a new one on the same data dir. */
  restart(options?: Omit<TestServerOptions, 'dataDir'>): Promise<TestServer>
}

/** The child exited before listening: its exit code and what it printed. */
export class ServerStartError extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`server exited with code ${exitCode} before listening:\n${stderr || stdout}`)
  }
}

const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

function childEnv(
  dataDir: string,
  overrides: Record<string, string | undefined>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!CONFIG_VARIABLES.test(key)) env[key] = value
  }
  Object.assign(env, {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
  })
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key]
    else env[key] = value
  }
  return env
}

export function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'atende-test-'))
  return launch({ ...options, dataDir }, options.dataDir === undefined)
}

// `ownsDir`: this helper made the temp dir, so it removes it (restarts hand the duty on).
async function launch(
  options: TestServerOptions & { dataDir: string },
  ownsDir: boolean,
): Promise<TestServer> {
  const { dataDir } = options
  const removeDir = () => {
    if (ownsDir && !options.keepData) fs.rmSync(dataDir, { recursive: true, force: true })
  }
  const env = childEnv(dataDir, options.env ?? {})
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'sync-server/src/main.ts'],
    {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  live.add(child)
  child.once('exit', () => live.delete(child))
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))

  let listening: RegExpMatchArray
  try {
    listening = await new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(
          new Error(`server did not listen within ${START_TIMEOUT_MS} ms:\n${stderr || stdout}`),
        )
      }, START_TIMEOUT_MS)
      const onData = () => {
        const match = stdout.match(LISTENING)
        if (!match) return
        clearTimeout(timer)
        child.off('exit', onExit)
        resolve(match)
      }
      const onExit = (code: number | null) => {
        clearTimeout(timer)
        child.stdout!.off('data', onData)
        reject(new ServerStartError(code, stdout, stderr))
      }
      child.stdout!.on('data', onData)
      child.once('exit', onExit)
    })
  } catch (err) {
    await exited(child)
    removeDir()
    throw err
  }

  const url = listening[1]!
  const port = Number(listening[3])
  const server: TestServer = {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    port,
    dataDir,
    child,
    output: () => ({ stdout, stderr }),
    request(requestPath, init = {}) {
      const headers: Record<string, string> = { ...init.headers }
      if (init.token) headers.authorization = `Bearer ${init.token}`
      if (init.json !== undefined) headers['content-type'] = 'application/json'
      return fetch(url + requestPath, {
        method: init.method ?? 'GET',
        headers,
        body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      })
    },
    async login(email, password) {
      const response = await server.request('/api/auth/login', {
        method: 'POST',
        json: { email, password },
      })
      if (response.status !== 200) throw new Error(`login as ${email} failed: ${response.status}`)
      return ((await response.json()) as { token: string }).token
    },
    loginAdmin() {
      return env.ADMIN_EMAIL && env.ADMIN_PASSWORD
        ? server.login(env.ADMIN_EMAIL, env.ADMIN_PASSWORD)
        : server.login(DEMO_ADMIN.email, DEMO_ADMIN.password)
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const code = await exited(child)
      removeDir()
      return code
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited(child)
    },
    async restart(restartOptions = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited(child)
      return launch({ ...options, ...restartOptions, dataDir }, ownsDir)
    },
  }
  return server
}
