/** Starting servers as child processes for benchmarks, and small statistics helpers. */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const ROOT = path.resolve(import.meta.dirname, '..', '..')

export interface Started {
  child: ChildProcess
  port: number
  stop(): Promise<void>
}

/** Spawns `node args…`, resolves when a stdout line matches `ready` (its first group is the port). */
export function startProcess(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done()
        child.once('exit', () => done())
        child.kill('SIGTERM')
      })
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = out.match(ready)
      if (match) {
        out = ''
        resolve({ child, port: Number(match[1]), stop })
      }
    })
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${err}`)))
  })
}

export interface AtendeOptions {
  /** Run in this data directory and keep it afterwards (default: a fresh one, removed on stop). */
  dataDir?: string
  /** Run the product as `npm start` does (`node scripts/start.js`: built, NODE_ENV=production)
   * instead of from source through tsx. */
  built?: boolean
}

/** Our server on a free port with a fresh data dir: from source, or built as `npm start` runs it. */
export async function startAtende(
  env: Record<string, string> = {},
  options: AtendeOptions = {},
): Promise<Started & { url: string; dataDir: string }> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'atende-bench-'))
  const profile = process.env.PROFILE_DIR
    ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.PROFILE_DIR]
    : []
  const started = await startProcess(
    options.built
      ? ['scripts/start.js']
      : [...profile, '--conditions=source', '--import', 'tsx', 'sync-server/src/main.ts'],
    {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_EMAIL: 'admin@bench.local',
      ADMIN_PASSWORD: 'bench password',
      LOG_LEVEL: 'warn',
      ...env,
    },
    /listening on http:\/\/127\.0\.0\.1:(\d+)/,
  )
  return {
    ...started,
    url: `http://127.0.0.1:${started.port}`,
    dataDir,
    async stop() {
      await started.stop()
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Signs in the admin that `startAtende` creates; resolves with its session token. */
export async function adminToken(url: string): Promise<string> {
  const { token } = await api<{ token: string }>(url, null, 'POST', '/api/auth/login', {
    email: 'admin@bench.local',
    password: 'bench password',
  })
  return token
}

export async function api<T>(
  url: string,
  token: string | null,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(url + pathname, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}`)
  return (await response.json()) as T
}

export const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
export const fmt = (ms: number) => `${ms.toFixed(1)} ms`
