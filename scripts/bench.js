#!/usr/bin/env node
/**
 * `npm run bench [name…]`: runs each benchmark in bench/ (or those named) in its own Node process,
 * one after the other, so they never compete for the machine's two cores.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const wanted = process.argv.slice(2)
const all = fs
  .readdirSync(path.join(root, 'bench'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.replace(/\.ts$/, ''))
const chosen = wanted.length > 0 ? all.filter((name) => wanted.includes(name)) : all
let failed = false
for (const name of chosen) {
  console.log(`\n=== bench/${name}.ts`)
  const result = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', path.join('bench', `${name}.ts`)],
    {
      cwd: root,
      stdio: 'inherit',
    },
  )
  if (result.status !== 0) failed = true
}
process.exit(failed ? 1 : 0)
