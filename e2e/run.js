// `npm run test:e2e`: builds the web app (the journeys run against the build, as users get it),
// then runs the browser journeys. Extra arguments go to vitest (e.g. a file name filter).
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file)

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

if (!process.argv.includes('--no-build'))
  run([bin('vite', 'bin/vite.js'), 'build', '--logLevel', 'warn'])
run([
  bin('vitest', 'vitest.mjs'),
  'run',
  '--config',
  'vitest.e2e.config.ts',
  ...process.argv.slice(2).filter((arg) => arg !== '--no-build'),
])
