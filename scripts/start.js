#!/usr/bin/env node
/**
 * `npm start`: builds what is missing, then runs the production server.
 *
 * 1. `tsc -b sync-server`: incremental, so cheap when nothing changed; project references compile
 *    `shared` to shared/dist too, which is what the server imports as `@atende/shared`.
 * 2. `vite build`, only when build/handler.js (the SvelteKit adapter-node output) is missing.
 * 3. `node sync-server/dist/main.js` in this process group; SIGINT/SIGTERM are passed on and this
 *    process exits with the server's exit code.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = (...parts) => path.join(root, 'node_modules', ...parts)

/** Runs a Node CLI to completion with inherited stdio; exits this process if it fails. */
function run(label, script, args) {
  process.stdout.write(`> ${label}\n`)
  const result = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' })
  if (result.error) {
    process.stderr.write(`${label} could not run: ${result.error.message}\n`)
    process.exit(1)
  }
  if (result.status !== 0) {
    process.stderr.write(`${label} failed (exit ${result.status ?? result.signal})\n`)
    process.exit(result.status ?? 1)
  }
}

run('tsc -b sync-server', bin('typescript', 'bin', 'tsc'), ['-b', 'sync-server'])
if (!existsSync(path.join(root, 'build', 'handler.js'))) {
  run('vite build', bin('vite', 'bin', 'vite.js'), ['build'])
}

const server = spawn(process.execPath, [path.join(root, 'sync-server', 'dist', 'main.js')], {
  cwd: root,
  stdio: 'inherit',
  env: { NODE_ENV: 'production', ...process.env },
})

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    // A terminal's Ctrl-C already reached the server (same process group); passing it on is harmless.
    if (server.exitCode === null && server.signalCode === null) server.kill(signal)
  })
}

server.on('error', (err) => {
  process.stderr.write(`the server could not start: ${err.message}\n`)
  process.exit(1)
})
server.on('exit', (code, signal) => {
  process.exit(
    code ?? (signal ? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGINT' ? 2 : 15) : 1),
  )
})
