#!/usr/bin/env node
/**
 * `npm test`: every test. Unit and integration tests (vitest: shared, sync-server, web units), then
 * the browser journeys against a fresh build (e2e/run.js builds first). Both run even if the first
 * fails, so one red run shows everything; the exit code is non-zero if anything failed.
 * Closes with one line `tests: N passed, N failed` summing both runs.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'atende-test-'))
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs')

function run(label, args, report) {
  process.stdout.write(`\n> ${label}\n`)
  const result = spawnSync(
    process.execPath,
    [...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { cwd: root, stdio: 'inherit' },
  )
  let counts = { passed: 0, failed: 0 }
  try {
    const json = JSON.parse(fs.readFileSync(report, 'utf8'))
    counts = { passed: json.numPassedTests, failed: json.numFailedTests }
  } catch {
    // No report: the runner itself failed (a build or config error), counted as one failure.
    counts.failed = 1
  }
  if (result.status !== 0 && counts.failed === 0) counts.failed = 1
  return counts
}

const unit = run('unit and integration tests', [vitest, 'run'], path.join(reports, 'unit.json'))
const e2e = run(
  'browser journeys',
  [path.join(root, 'e2e', 'run.js')],
  path.join(reports, 'e2e.json'),
)
fs.rmSync(reports, { recursive: true, force: true })

const passed = unit.passed + e2e.passed
const failed = unit.failed + e2e.failed
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed\n`)
process.exit(failed > 0 ? 1 : 0)
