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

/** Our server, as production runs it but from source, on a free port with a fresh data dir. */
export async function startAtende(
  env: Record<string, string> = {},
): Promise<Started & { url: string; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atende-bench-'))
  const started = await startProcess(
    [
      ...(process.env.PROFILE_DIR
        ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.PROFILE_DIR]
        : []),
      '--conditions=source',
      '--import',
      'tsx',
      'sync-server/src/main.ts',
    ],
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
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
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
