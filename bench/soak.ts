/**
 * The soak: Meta's ceiling for one number, 1,000 signed webhooks a second for 30 s from 50
 * customers, while 50 agents each watch one of their conversations and 5 watch the inbox (the
 * stock y-websocket client). Measured from the moment a delivery was due to be posted to the moment
 * its message is in the agent's document (open loop: a slow server makes later deliveries late,
 * and that lateness counts, so no coordinated omission).
 *
 * Three processes, as in production: Atende; the load generator (its own process, printing its
 * own event-loop delay, so a figure from a starved generator shows as such); and this one, which
 * holds the 55 watchers (its loop delay is printed too). Reference in the same run: the same load
 * posted to the floor (node:http, HMAC + JSON.parse, nothing stored), which shows what the
 * generator and the machine can do at the least.
 *
 *   npm run bench soak        (env: RATE=1000 SECONDS=30 CUSTOMERS=50 INBOX_WATCHERS=5,
 *                              PROFILE_DIR=dir for a CPU profile of the server)
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import {
  conversationDocName,
  conversationParts,
  INBOX_DOC,
  readInbox,
  type Message,
} from '@atende/shared'
import { startFloor } from './lib/floor.js'
import { adminToken, startAtende, startProcess } from './lib/process.js'
import { CHANNEL_ENV, connect, post, quantile, textDelivery } from './lib/wire.js'

process.setMaxListeners(0) // y-websocket adds a process 'exit' listener per provider

const RATE = Number(process.env.RATE ?? 1000)
const SECONDS = Number(process.env.SECONDS ?? 30)
const CUSTOMERS = Number(process.env.CUSTOMERS ?? 50)
const INBOX_WATCHERS = Number(process.env.INBOX_WATCHERS ?? 5)
const now = () => performance.timeOrigin + performance.now()

interface GeneratorReport {
  /** When each delivery was due (epoch ms), by sequence number. */
  due: number[]
  /** When its answer came (epoch ms), and the status. */
  answered: number[]
  status: number[]
  loop: LoopDelay
}

interface LoopDelay {
  p50: number
  p99: number
  max: number
}

/** The event loop's delay: how late a 2 ms timer ran (the histogram counts the 2 ms themselves). */
function loopMonitor() {
  const resolution = 2
  const histogram = monitorEventLoopDelay({ resolution })
  histogram.enable()
  const late = (ns: number) => Math.max(0, ns / 1e6 - resolution)
  return (): LoopDelay => {
    histogram.disable()
    return {
      p50: late(histogram.percentile(50)),
      p99: late(histogram.percentile(99)),
      max: late(histogram.max),
    }
  }
}

/** The generator (child process): builds and signs every delivery first, then posts on schedule. */
async function runGenerator(): Promise<void> {
  const port = Number(process.env.SOAK_PORT)
  const total = RATE * SECONDS
  const base = Math.floor(Date.now() / 1000)
  const deliveries = Array.from({ length: total }, (_, seq) =>
    textDelivery(
      seq % CUSTOMERS,
      `Soak ${seq}: I would like to know where my order is`,
      base + Math.floor(seq / RATE),
    ),
  )
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 })
  const report: GeneratorReport = {
    due: new Array<number>(total),
    answered: new Array<number>(total),
    status: new Array<number>(total),
    loop: { p50: 0, p99: 0, max: 0 },
  }
  const stopLoop = loopMonitor()
  const start = now() + 100
  let next = 0
  let pending = total
  await new Promise<void>((resolve) => {
    const fire = (seq: number) => {
      report.due[seq] = start + (seq * 1000) / RATE
      post(agent, port, deliveries[seq]!).then(
        (status) => {
          report.answered[seq] = now()
          report.status[seq] = status
          if (--pending === 0) resolve()
        },
        () => {
          report.answered[seq] = now()
          report.status[seq] = 0
          if (--pending === 0) resolve()
        },
      )
    }
    const tick = () => {
      const at = now()
      while (next < total && start + (next * 1000) / RATE <= at) fire(next++)
      if (next < total) setTimeout(tick, Math.max(0, start + (next * 1000) / RATE - now()))
    }
    setTimeout(tick, 100)
  })
  report.loop = stopLoop()
  agent.destroy()
  fs.writeFileSync(process.env.SOAK_OUT!, JSON.stringify(report))
  process.stdout.write('generator done\n')
}

/** Runs the generator against a port and waits for its report. */
async function generate(port: number): Promise<GeneratorReport> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'atende-soak-')), 'report.json')
  const generator = await startProcess(
    ['--conditions=source', '--import', 'tsx', fileURLToPath(import.meta.url), '--generator'],
    { SOAK_PORT: String(port), SOAK_OUT: out },
    /(generator) done/,
  )
  await new Promise<void>((resolve) =>
    generator.child.exitCode !== null ? resolve() : generator.child.once('exit', () => resolve()),
  )
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as GeneratorReport
  fs.rmSync(path.dirname(out), { recursive: true, force: true })
  return report
}

const ms = (value: number) => `${value.toFixed(1).padStart(6)} ms`
const spread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return `p50 ${ms(quantile(sorted, 0.5))}  p99 ${ms(quantile(sorted, 0.99))}  max ${ms(sorted.at(-1) ?? 0)}`
}
const loopLine = (label: string, loop: LoopDelay) =>
  `  ${label.padEnd(34)} loop delay p50 ${ms(loop.p50)}  p99 ${ms(loop.p99)}  max ${ms(loop.max)}`

/** Waits for a condition re-checked on every document change (and at least every 100 ms). */
async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function main(): Promise<void> {
  const total = RATE * SECONDS
  // Reference first: the floor under the same open-loop load.
  const floor = await startFloor()
  const floorReport = await generate(floor.port)
  await floor.stop()

  const server = await startAtende(CHANNEL_ENV)
  try {
    const token = await adminToken(server.url)
    // Warm-up: one message per customer makes their conversations; the agents then open them.
    const inbox = Array.from({ length: INBOX_WATCHERS }, () =>
      connect(server.url, INBOX_DOC, token),
    )
    await Promise.all(inbox.map((watcher) => watcher.synced))
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 })
    const base = Math.floor(Date.now() / 1000) - 60
    await Promise.all(
      Array.from({ length: CUSTOMERS }, (_, customer) =>
        post(agent, server.port, textDelivery(customer, `Hello from customer ${customer}`, base)),
      ),
    )
    agent.destroy()
    await until(() => readInbox(inbox[0]!.doc).length >= CUSTOMERS, 30_000, 'the inbox cards')

    const arrived = new Array<number>(total)
    let arrivedCount = 0
    const watchers = readInbox(inbox[0]!.doc).map((card) => {
      const watcher = connect(server.url, conversationDocName(card.id), token)
      conversationParts(watcher.doc).messages.observe((event) => {
        const at = now()
        for (const delta of event.changes.delta)
          for (const message of (delta.insert ?? []) as Message[]) {
            const seq = /^Soak (\d+):/.exec(message.kind === 'customer' ? message.text : '')?.[1]
            if (seq !== undefined && arrived[Number(seq)] === undefined) {
              arrived[Number(seq)] = at
              arrivedCount++
            }
          }
      })
      return watcher
    })
    await Promise.all(watchers.map((watcher) => watcher.synced))

    const stopLoop = loopMonitor()
    const report = await generate(server.port)
    const acknowledged = report.status.flatMap((status, seq) => (status === 200 ? [seq] : []))
    await until(
      () => acknowledged.every((seq) => arrived[seq] !== undefined),
      60_000,
      'every acknowledged message in the agents’ documents',
    ).catch(() => undefined)
    const watcherLoop = stopLoop()
    const lost = acknowledged.filter((seq) => arrived[seq] === undefined).length
    const seen = acknowledged.filter((seq) => arrived[seq] !== undefined)

    console.log(
      `\nsoak: ${RATE}/s for ${SECONDS} s (${total} signed webhooks) from ${CUSTOMERS} customers; ${watchers.length} agents each watching one conversation, ${INBOX_WATCHERS} watching the inbox`,
    )
    console.log(
      `  floor (node:http, HMAC + JSON.parse)  POST → 200            ${spread(floorReport.status.map((_, i) => floorReport.answered[i]! - floorReport.due[i]!))}`,
    )
    console.log(
      `  atende                                POST → 200            ${spread(acknowledged.map((seq) => report.answered[seq]! - report.due[seq]!))}`,
    )
    console.log(
      `  atende                                POST → agent's doc    ${spread(seen.map((seq) => arrived[seq]! - report.due[seq]!))}`,
    )
    console.log(
      `  answered 200: ${acknowledged.length} of ${total}; in the documents: ${arrivedCount}; acknowledged but missing: ${lost}`,
    )
    console.log(loopLine('generator (floor run)', floorReport.loop))
    console.log(loopLine('generator (atende run)', report.loop))
    console.log(loopLine('watchers (this process)', watcherLoop))
    console.log(
      '  goal: POST → agent’s doc p99 < 100 ms, max < 250 ms, nothing lost (issue 14: p99 504 ms, max 621 ms at e5f78e3)',
    )
    for (const watcher of [...watchers, ...inbox]) watcher.destroy()
  } finally {
    await server.stop()
  }
}

if (process.argv.includes('--generator')) await runGenerator()
else await main()
process.exit(0)
