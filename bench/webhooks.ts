/**
 * Webhook intake throughput: bursts of 3,000 signed deliveries (one customer message each, from 30
 * customers), 32 requests in flight over keep-alive connections, bodies signed beforehand. Four
 * bursts each, alternating between a bare floor (node:http in a child process: HMAC check and
 * JSON.parse, nothing stored) and Atende (signature, durable SQLite commit before the 200, then
 * the documents), in the same run. The best burst of each is compared (steady state), and every
 * message Atende acknowledged is looked for in the documents through the stock y-websocket client.
 *
 *   node --import tsx bench/webhooks.ts          (BURSTS=4 PER_BURST=3000 IN_FLIGHT=32)
 */
import http from 'node:http'
import {
  conversationDocName,
  INBOX_DOC,
  readInbox,
  readMessages,
  type CustomerMessage,
} from '@atende/shared'
import { startFloor } from './lib/floor.js'
import { adminToken, startAtende } from './lib/process.js'
import {
  CHANNEL_ENV,
  connect,
  cpuMs,
  post,
  quantile,
  textDelivery,
  type Delivery,
} from './lib/wire.js'

const BURSTS = Number(process.env.BURSTS ?? 4)
const PER_BURST = Number(process.env.PER_BURST ?? 3000)
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 32)
const CUSTOMERS = 30

function prepareBurst(burst: number): Delivery[] {
  const base = Math.floor(Date.now() / 1000) - 3600 + burst * 100
  return Array.from({ length: PER_BURST }, (_, i) =>
    textDelivery(
      i % CUSTOMERS,
      `Burst ${burst} message ${i}: I would like to know where my order is`,
      base + Math.floor(i / CUSTOMERS),
    ),
  )
}

interface BurstResult {
  perSecond: number
  p99: number
  acknowledged: string[]
  /** The server's CPU time (user + system) per delivery, µs; null where /proc is not there. */
  cpuPerDelivery: number | null
}

async function burst(
  port: number,
  pid: number | undefined,
  deliveries: Delivery[],
): Promise<BurstResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT })
  const cpuBefore = cpuMs(pid)
  const latencies: number[] = []
  const acknowledged: string[] = []
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++]!
        const sent = performance.now()
        const status = await post(agent, port, delivery)
        latencies.push(performance.now() - sent)
        if (status === 200) acknowledged.push(delivery.wamid)
        else throw new Error(`a delivery answered ${status}`)
      }
    }),
  )
  const elapsed = performance.now() - started
  agent.destroy()
  // The documents are written after the 200s: the CPU count waits for that tail to be applied.
  await new Promise((resolve) => setTimeout(resolve, 250))
  const cpuAfter = cpuMs(pid)
  latencies.sort((a, b) => a - b)
  return {
    perSecond: (deliveries.length / elapsed) * 1000,
    p99: quantile(latencies, 0.99),
    acknowledged,
    cpuPerDelivery:
      cpuBefore === null || cpuAfter === null
        ? null
        : ((cpuAfter - cpuBefore) * 1000) / deliveries.length,
  }
}

const cpuNote = (result: BurstResult) =>
  result.cpuPerDelivery === null
    ? ''
    : `  server CPU ${result.cpuPerDelivery.toFixed(0).padStart(3)} µs/delivery`

/** Every acknowledged wamid, looked for in the conversation docs (waits for the apply to finish). */
async function verify(
  url: string,
  token: string,
  acknowledged: Set<string>,
): Promise<{ found: number; ms: number }> {
  const started = performance.now()
  for (;;) {
    const inbox = connect(url, INBOX_DOC, token)
    await inbox.synced
    const ids = readInbox(inbox.doc).map((card) => card.id)
    inbox.destroy()
    const found = new Set<string>()
    for (const id of ids) {
      const conversation = connect(url, conversationDocName(id), token)
      await conversation.synced
      for (const message of readMessages(conversation.doc) as CustomerMessage[])
        found.add(message.waMessageId)
      conversation.destroy()
    }
    const missing = [...acknowledged].filter((wamid) => !found.has(wamid)).length
    if (missing === 0) return { found: acknowledged.size, ms: performance.now() - started }
    if (performance.now() - started > 60_000)
      throw new Error(`${missing} acknowledged messages are missing from the documents`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

async function main(): Promise<void> {
  const ours = await startAtende(CHANNEL_ENV)
  const floor = await startFloor()
  const targets = [
    { label: 'floor (node:http, HMAC + JSON.parse)', port: floor.port, pid: floor.child.pid },
    { label: 'atende (durable intake + documents)', port: ours.port, pid: ours.child.pid },
  ]
  const results = new Map<string, BurstResult[]>(targets.map((t) => [t.label, []]))
  const acknowledged = new Set<string>()
  try {
    for (let i = 0; i < BURSTS; i++) {
      for (const target of i % 2 === 0 ? targets : [...targets].reverse()) {
        const deliveries = prepareBurst(i * 2 + (target.port === ours.port ? 1 : 0))
        const result = await burst(target.port, target.pid, deliveries)
        results.get(target.label)!.push(result)
        if (target.port === ours.port)
          for (const wamid of result.acknowledged) acknowledged.add(wamid)
        process.stdout.write(
          `  burst ${i + 1} ${target.label.padEnd(40)} ${result.perSecond.toFixed(0).padStart(6)} /s  p99 ${result.p99.toFixed(1)} ms${cpuNote(result)}\n`,
        )
      }
    }
    const check = await verify(ours.url, await adminToken(ours.url), acknowledged)

    console.log(
      `\nwebhook intake: ${BURSTS} bursts of ${PER_BURST} signed deliveries, ${CUSTOMERS} customers, ${IN_FLIGHT} in flight, keep-alive`,
    )
    const best = new Map<string, BurstResult>()
    for (const [label, bursts] of results) {
      const top = bursts.reduce((a, b) => (b.perSecond > a.perSecond ? b : a))
      best.set(label, top)
      console.log(
        `  ${label.padEnd(40)} best ${top.perSecond.toFixed(0).padStart(6)} /s  p99 ${top.p99.toFixed(1)} ms${cpuNote(top)}   bursts ${bursts.map((b) => b.perSecond.toFixed(0)).join(', ')}`,
      )
    }
    const ratio = best.get(targets[1]!.label)!.perSecond / best.get(targets[0]!.label)!.perSecond
    console.log(`  ratio atende / floor: ${ratio.toFixed(2)}x (goal >= 0.50x)`)
    console.log(
      `  durability: all ${check.found} acknowledged messages found in the documents (checked in ${check.ms.toFixed(0)} ms)`,
    )
  } finally {
    await ours.stop()
    await floor.stop()
  }
}

await main()
process.exit(0)
