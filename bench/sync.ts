/**
 * One busy conversation, 20 agents connected with the stock y-websocket client, one agent writes
 * 2,000 notes, each its own update: the time until all 20 have all of them. Our server
 * (authenticating, checking every update against the rules, persisting to SQLite before
 * broadcasting) against @y/websocket-server 0.1.1 (in memory, no checks) in the same run.
 */
import {
  appendMessage,
  conversationDocName,
  readMessages,
  type AgentId,
  type MessageId,
} from '@atende/shared'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { api, fmt, median, startAtende, startProcess } from './lib/process.js'

process.setMaxListeners(0) // y-websocket adds a process 'exit' listener per provider

const AGENTS = 20
const NOTES = 2000
const ROUNDS = Number(process.env.ROUNDS ?? 5)

interface Target {
  label: string
  wsBase: string
  tokens: string[]
  agentIds: string[]
  docName: () => Promise<string>
}

function connect(wsBase: string, docName: string, token: string) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(wsBase, docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  })
  const synced = new Promise<void>((resolve) => provider.once('sync', () => resolve()))
  return { doc, provider, synced }
}

async function round(target: Target): Promise<number> {
  const docName = await target.docName()
  const peers = target.tokens.map((token) => connect(target.wsBase, docName, token))
  await Promise.all(peers.map((p) => p.synced))
  const readers = peers.slice(1)
  const done = Promise.all(
    readers.map(
      ({ doc }) =>
        new Promise<void>((resolve) => {
          const messages = doc.getArray('messages')
          const check = () => {
            if (messages.length >= NOTES) {
              messages.unobserve(check)
              resolve()
            }
          }
          messages.observe(check)
        }),
    ),
  )
  const writer = peers[0]!
  const author = target.agentIds[0]! as AgentId
  const started = performance.now()
  for (let i = 0; i < NOTES; i++) {
    appendMessage(
      writer.doc,
      {
        id: crypto.randomUUID() as MessageId,
        kind: 'note',
        authorId: author,
        text: `Note ${i}: customer asked about the order`,
        createdAt: Date.now(),
      },
      'local',
    )
  }
  await done
  const elapsed = performance.now() - started
  if (readMessages(readers[0]!.doc).length !== NOTES) throw new Error('a reader is missing notes')
  for (const peer of peers) {
    peer.provider.destroy()
    peer.doc.destroy()
  }
  return elapsed
}

async function main() {
  const ours = await startAtende()
  const admin = (
    await api<{ token: string }>(ours.url, null, 'POST', '/api/auth/login', {
      email: 'admin@bench.local',
      password: 'bench password',
    })
  ).token
  const tokens: string[] = []
  const agentIds: string[] = []
  for (let i = 0; i < AGENTS; i++) {
    const email = `agent${i}@bench.local`
    const { agent } = await api<{ agent: { id: string } }>(ours.url, admin, 'POST', '/api/agents', {
      name: `Agent ${i}`,
      email,
      password: 'bench password',
      role: 'agent',
    })
    agentIds.push(agent.id)
    tokens.push(
      (
        await api<{ token: string }>(ours.url, null, 'POST', '/api/auth/login', {
          email,
          password: 'bench password',
        })
      ).token,
    )
  }
  let phone = 5511900000000
  const atende: Target = {
    label: 'atende (auth + rules + SQLite)',
    wsBase: `ws://127.0.0.1:${ours.port}/sync`,
    tokens,
    agentIds,
    docName: async () => {
      const { conversation } = await api<{ conversation: { id: string } }>(
        ours.url,
        tokens[0]!,
        'POST',
        '/api/conversations',
        { phone: `+${phone++}` },
      )
      return conversationDocName(conversation.id)
    },
  }
  const reference = await startProcess(
    ['node_modules/@y/websocket-server/src/server.js'],
    { HOST: '127.0.0.1', PORT: String(40000 + Math.floor(Math.random() * 20000)) },
    /running at '127\.0\.0\.1' on port (\d+)/,
  )
  let room = 0
  const ref: Target = {
    label: '@y/websocket-server 0.1.1 (memory)',
    wsBase: `ws://127.0.0.1:${reference.port}`,
    tokens,
    agentIds,
    docName: async () => `bench-${room++}`,
  }

  const results = new Map<string, number[]>([
    [atende.label, []],
    [ref.label, []],
  ])
  // Alternate so neither side always runs on a warmer (or more tired) machine.
  for (let i = 0; i < ROUNDS; i++) {
    for (const target of i % 2 === 0 ? [ref, atende] : [atende, ref]) {
      results.get(target.label)!.push(await round(target))
    }
  }
  await ours.stop()
  await reference.stop()

  console.log(
    `\nsync fan-out: ${AGENTS} agents, ${NOTES} notes each its own update, ${ROUNDS} rounds`,
  )
  for (const [label, times] of results) {
    console.log(
      `  ${label.padEnd(38)} median ${fmt(median(times)).padStart(10)}   rounds ${times.map(fmt).join(', ')}`,
    )
  }
  const ratio = median(results.get(atende.label)!) / median(results.get(ref.label)!)
  console.log(`  ratio atende / reference: ${ratio.toFixed(2)}x (goal <= 1.00x)`)
}

await main()
process.exit(0)
