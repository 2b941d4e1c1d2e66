/**
 * Memory per open conversation: 200 conversations of 200 customer messages each, written through
 * signed webhooks, then the product restarted as `npm start` runs it (built, NODE_ENV=production)
 * and every conversation held open by one agent (the stock y-websocket client). Figure: the
 * resident memory of the `npm start` process tree (scripts/start.js and the server), minus the
 * same tree started on an empty data directory, divided by the conversations.
 *
 * Reference in the same run: @y/websocket-server 0.1.1 (documents in memory, no rules, no store)
 * holding the same 200 documents of 200 messages, each with one client, minus its empty process.
 *
 *   npm run bench memory        (env: CONVERSATIONS=200 MESSAGES=200)
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import {
  appendMessage,
  conversationDocName,
  INBOX_DOC,
  readInbox,
  readMessages,
  type ContactId,
  type Message,
  type MessageId,
} from '@atende/shared'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { adminToken, startAtende, startProcess } from './lib/process.js'
import { CHANNEL_ENV, connect, post, textDelivery, treeRssKiB } from './lib/wire.js'

process.setMaxListeners(0) // y-websocket adds a process 'exit' listener per provider

const CONVERSATIONS = Number(process.env.CONVERSATIONS ?? 200)
const MESSAGES = Number(process.env.MESSAGES ?? 200)
const text = (customer: number, i: number) =>
  `Message ${i} from customer ${customer}: I would like to know where my order is`

/** Resident memory once it has stopped moving (two readings 1 s apart within 1%, at most 10 s). */
async function settledRss(pid: number): Promise<number> {
  let last = treeRssKiB(pid)
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const now = treeRssKiB(pid)
    if (Math.abs(now - last) <= last * 0.01) return now
    last = now
  }
  return last
}

/** Writes the conversations through signed webhooks, 32 in flight; waits for every inbox card. */
async function populate(dataDir: string): Promise<void> {
  const server = await startAtende(CHANNEL_ENV, { dataDir })
  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 })
    const base = Math.floor(Date.now() / 1000) - MESSAGES - 60
    let next = 0
    const total = CONVERSATIONS * MESSAGES
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < total) {
          const seq = next++
          const customer = seq % CONVERSATIONS
          const i = Math.floor(seq / CONVERSATIONS)
          const status = await post(
            agent,
            server.port,
            textDelivery(customer, text(customer, i), base + i),
          )
          if (status !== 200) throw new Error(`a delivery answered ${status}`)
        }
      }),
    )
    agent.destroy()
    const token = await adminToken(server.url)
    const inbox = connect(server.url, INBOX_DOC, token)
    await inbox.synced
    const deadline = Date.now() + 120_000
    while (readInbox(inbox.doc).filter((card) => card.unread >= MESSAGES).length < CONVERSATIONS) {
      if (Date.now() > deadline) throw new Error('the conversations were not all written')
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    inbox.destroy()
  } finally {
    await server.stop()
  }
}

async function measureAtende(): Promise<{ empty: number; full: number }> {
  const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atende-memory-empty-'))
  const fullDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atende-memory-full-'))
  try {
    const empty = await startAtende(CHANNEL_ENV, { dataDir: emptyDir, built: true })
    const emptyToken = await adminToken(empty.url)
    const emptyInbox = connect(empty.url, INBOX_DOC, emptyToken)
    await emptyInbox.synced
    const emptyRss = await settledRss(empty.child.pid!)
    emptyInbox.destroy()
    await empty.stop()

    await populate(fullDir)
    const server = await startAtende(CHANNEL_ENV, { dataDir: fullDir, built: true })
    try {
      const token = await adminToken(server.url)
      const inbox = connect(server.url, INBOX_DOC, token)
      await inbox.synced
      const agents = readInbox(inbox.doc).map((card) =>
        connect(server.url, conversationDocName(card.id), token),
      )
      await Promise.all(agents.map((agent) => agent.synced))
      const short = agents.filter((agent) => readMessages(agent.doc).length < MESSAGES).length
      if (agents.length !== CONVERSATIONS || short > 0)
        throw new Error(`${agents.length} conversations open, ${short} of them short of messages`)
      const fullRss = await settledRss(server.child.pid!)
      for (const agent of agents) agent.destroy()
      inbox.destroy()
      return { empty: emptyRss, full: fullRss }
    } finally {
      await server.stop()
    }
  } finally {
    fs.rmSync(emptyDir, { recursive: true, force: true })
    fs.rmSync(fullDir, { recursive: true, force: true })
  }
}

async function measureReference(): Promise<{ empty: number; full: number }> {
  const reference = await startProcess(
    ['node_modules/@y/websocket-server/src/server.js'],
    { HOST: '127.0.0.1', PORT: String(40000 + Math.floor(Math.random() * 20000)) },
    /running at '127\.0\.0\.1' on port (\d+)/,
  )
  try {
    const empty = await settledRss(reference.child.pid!)
    const clients = Array.from({ length: CONVERSATIONS }, (_, customer) => {
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(
        `ws://127.0.0.1:${reference.port}`,
        `conversation-${customer}`,
        doc,
        {
          WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
          disableBc: true,
        },
      )
      return { doc, provider, synced: new Promise((resolve) => provider.once('sync', resolve)) }
    })
    await Promise.all(clients.map((client) => client.synced))
    const base = Date.now() - MESSAGES * 1000
    clients.forEach(({ doc }, customer) => {
      for (let i = 0; i < MESSAGES; i++) {
        const message: Message = {
          id: crypto.randomUUID() as MessageId,
          kind: 'customer',
          authorId: crypto.randomUUID() as ContactId,
          waMessageId: `wamid.${crypto.randomUUID()}`,
          type: 'text',
          text: text(customer, i),
          createdAt: base + i * 1000,
        }
        appendMessage(doc, message, 'local')
      }
    })
    // Written when a fresh client of each document has every message.
    for (let customer = 0; customer < CONVERSATIONS; customer++) {
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(
        `ws://127.0.0.1:${reference.port}`,
        `conversation-${customer}`,
        doc,
        {
          WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
          disableBc: true,
        },
      )
      await new Promise((resolve) => provider.once('sync', resolve))
      while (readMessages(doc).length < MESSAGES) await new Promise((r) => setTimeout(r, 20))
      provider.destroy()
      doc.destroy()
    }
    const full = await settledRss(reference.child.pid!)
    for (const { doc, provider } of clients) {
      provider.destroy()
      doc.destroy()
    }
    return { empty, full }
  } finally {
    await reference.stop()
  }
}

const mib = (kib: number) => `${(kib / 1024).toFixed(0).padStart(4)} MiB`
const line = (label: string, { empty, full }: { empty: number; full: number }) =>
  `  ${label.padEnd(44)} empty ${mib(empty)}  with them ${mib(full)}  per conversation ${((full - empty) / CONVERSATIONS).toFixed(0).padStart(4)} KiB`

const atende = await measureAtende()
const reference = await measureReference()
console.log(
  `\nmemory: ${CONVERSATIONS} conversations × ${MESSAGES} messages, each held open by one client after a restart`,
)
console.log(line('atende (npm start tree: start.js + server)', atende))
console.log(line('@y/websocket-server 0.1.1 (memory only)', reference))
console.log(
  '  goal: ≤ 100 KiB per conversation (issue 14: 483 KiB, empty tree 248 MiB, at e5f78e3)',
)
process.exit(0)
