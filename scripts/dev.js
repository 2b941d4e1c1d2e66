#!/usr/bin/env node
/**
 * `npm run dev`: the sync server from source on port 3001 (restarted by tsx on change) and Vite's
 * dev server on PORT (default 3000), which proxies /api, /sync and /webhooks to it.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = (...parts) => path.join(root, 'node_modules', ...parts)
const children = [
  spawn(process.execPath, [bin('tsx', 'dist', 'cli.mjs'), 'watch', 'sync-server/src/main.ts'], {
    cwd: root,
    stdio: 'inherit',
    // The `source` export condition: @atende/shared from its TypeScript source (tsx watch's
    // restarts inherit NODE_OPTIONS, not this process's flags).
    env: { ...process.env, PORT: '3001', NODE_OPTIONS: '--conditions=source' },
  }),
  spawn(
    process.execPath,
    [bin('vite', 'bin', 'vite.js'), 'dev', '--port', process.env.PORT ?? '3000'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  ),
]
const stop = () => children.forEach((child) => child.kill('SIGTERM'))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const child of children)
  child.on('exit', (code) => {
    stop()
    process.exitCode = code ?? 0
  })
