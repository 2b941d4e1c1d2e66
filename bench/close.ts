/**
 * Closing a conversation of 5,000 messages (goal: under 200 ms). Two measurements, each next to a
 * reference taken in the same run:
 *
 *  1. In process, the real lifecycle code on a file database (WAL, as the server runs it): a warm
 *     close (doc loaded, as when agents have it open), a cold close (the doc loaded from SQLite
 *     first), and where the time goes: reading the doc into rows, the filing transaction, dropping
 *     the doc and the inbox card. Reference: a plain SQLite insert of the same 5,000 rows into a
 *     bare table in one transaction, and the same rows' insert in the ticket_messages table.
 *  2. Over HTTP against the real server (`POST /api/conversations/:id/close`), the conversation
 *     filled with 5,000 notes over y-websocket. Reference: `GET /api/tickets?limit=1` round trip.
 */
import {
  appendMessage,
  conversationDocName,
  INBOX_DOC,
  readMessages,
  type AgentId,
  type MessageId,
} from '@atende/shared'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { closeConversation, fileMessages, authorNames } from '../sync-server/src/lifecycle/close.js'
import { lifecycleKit, type LifecycleKit } from '../sync-server/test/helpers/lifecycle-kit.js'
import { api, fmt, median, startAtende } from './lib/process.js'

process.setMaxListeners(0)
const MESSAGES = 5000
const ROUNDS = Number(process.env.ROUNDS ?? 5)
const GOAL_MS = 200

interface Phases {
  warm: number
  cold: number
  read: number
  file: number
  plainInsert: number
  transcriptInsert: number
}

function plainInsert(
  kit: LifecycleKit,
  rows: ReturnType<typeof fileMessages>,
  table: string,
): number {
  kit.db
    .exec(`CREATE TABLE IF NOT EXISTS ${table} (ticket_id TEXT, seq INTEGER, message_id TEXT, kind TEXT,
    author_id TEXT, author_name TEXT, text TEXT, created_at INTEGER, data TEXT)`)
  const insert = kit.db.prepare(`INSERT INTO ${table} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const started = performance.now()
  kit.db.transaction(() => {
    let seq = 0
    for (const m of rows)
      insert.run(
        't',
        seq++,
        m.messageId,
        m.kind,
        m.authorId,
        m.authorName,
        m.text,
        m.createdAt,
        m.data,
      )
  })()
  return performance.now() - started
}

function inProcessRound(): Phases {
  const kit = lifecycleKit()
  try {
    const agent = kit.agent('Bench Agent')
    // Warm: the doc is loaded (agents have it open).
    const warm = kit.conversation('Warm', '5511900000001')
    kit.fill(warm.id, MESSAGES, agent)
    const shared = kit.docs.get(conversationDocName(warm.id))
    shared.compact()
    let started = performance.now()
    const rows = fileMessages(
      shared.doc,
      authorNames(kit.deps, kit.deps.contacts.get(warm.contactId)),
    )
    const read = performance.now() - started
    const plain = plainInsert(kit, rows, 'bench_plain')
    // The same rows into an empty copy of ticket_messages (same columns and unique index).
    kit.db.exec('CREATE TABLE bench_transcript AS SELECT * FROM ticket_messages WHERE 0')
    kit.db.exec('CREATE UNIQUE INDEX bench_transcript_order ON bench_transcript (ticket_id, seq)')
    const transcriptInsert = plainInsert(kit, rows, 'bench_transcript')
    started = performance.now()
    const closed = closeConversation(kit.deps, warm.id, agent)
    const warmMs = performance.now() - started
    if (kit.deps.transcripts.messages(closed.ticket.id).length !== MESSAGES + 1)
      throw new Error('not all filed')

    // Filing alone: time the transaction for a second conversation through a wrapped store.
    const other = kit.conversation('Filing', '5511900000002')
    kit.fill(other.id, MESSAGES, agent)
    kit.docs.get(conversationDocName(other.id)).compact()
    const file = kit.deps.transcripts.file
    let fileMs = 0
    kit.deps.transcripts.file = (plan, hooks) => {
      const t = performance.now()
      try {
        return file(plan, hooks)
      } finally {
        fileMs = performance.now() - t
      }
    }
    closeConversation(kit.deps, other.id, agent)
    kit.deps.transcripts.file = file

    // Cold: the doc is on disk only (nobody has it open); closing loads it first.
    const cold = kit.conversation('Cold', '5511900000003')
    kit.fill(cold.id, MESSAGES, agent)
    const again = kit.reopen()
    try {
      again.docs.get(INBOX_DOC)
      started = performance.now()
      closeConversation(again.deps, cold.id, agent)
      const coldMs = performance.now() - started
      return {
        warm: warmMs,
        cold: coldMs,
        read,
        file: fileMs,
        plainInsert: plain,
        transcriptInsert,
      }
    } finally {
      again.dispose()
    }
  } finally {
    kit.dispose()
  }
}

async function httpRounds(): Promise<{ close: number[]; reference: number[] }> {
  const server = await startAtende()
  const token = (
    await api<{ token: string }>(server.url, null, 'POST', '/api/auth/login', {
      email: 'admin@bench.local',
      password: 'bench password',
    })
  ).token
  const me = await api<{ user: { id: string } }>(server.url, token, 'GET', '/api/me')
  const close: number[] = []
  const reference: number[] = []
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const { conversation } = await api<{ conversation: { id: string } }>(
        server.url,
        token,
        'POST',
        '/api/conversations',
        { phone: `+55119100000${round}` },
      )
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(
        `ws://127.0.0.1:${server.port}/sync`,
        conversationDocName(conversation.id),
        doc,
        {
          WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
          params: { token },
          disableBc: true,
        },
      )
      await new Promise<void>((resolve) => provider.once('sync', () => resolve()))
      doc.transact(() => {
        for (let i = 0; i < MESSAGES; i++) {
          appendMessage(
            doc,
            {
              id: crypto.randomUUID() as MessageId,
              kind: 'note',
              authorId: me.user.id as AgentId,
              text: `Note ${i}: the customer asked about the order`,
              createdAt: Date.now(),
            },
            'local',
          )
        }
      }, 'local')
      // A second client sees the notes once the server has stored them.
      const witness = new Y.Doc()
      const watcher = new WebsocketProvider(
        `ws://127.0.0.1:${server.port}/sync`,
        conversationDocName(conversation.id),
        witness,
        {
          WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
          params: { token },
          disableBc: true,
        },
      )
      await new Promise<void>((resolve) => {
        const check = () => readMessages(witness).length >= MESSAGES && resolve()
        witness.on('update', check)
        check()
      })
      watcher.destroy()
      let started = performance.now()
      await api(server.url, token, 'GET', '/api/tickets?limit=1')
      reference.push(performance.now() - started)
      started = performance.now()
      const result = await api<{ filed: number }>(
        server.url,
        token,
        'POST',
        `/api/conversations/${conversation.id}/close`,
      )
      close.push(performance.now() - started)
      if (result.filed !== MESSAGES + 1) throw new Error(`filed ${result.filed}`)
      provider.destroy()
    }
  } finally {
    await server.stop()
  }
  return { close, reference }
}

async function main() {
  const rounds: Phases[] = []
  for (let i = 0; i < ROUNDS; i++) rounds.push(inProcessRound())
  const m = (key: keyof Phases) => median(rounds.map((r) => r[key]))
  console.log(
    `\nclose a conversation of ${MESSAGES} messages (customer, agent + receipt, note, image), ${ROUNDS} rounds, medians`,
  )
  console.log(
    `  in process, doc loaded (warm)          ${fmt(m('warm')).padStart(10)}   goal < ${GOAL_MS} ms`,
  )
  console.log(`  in process, doc on disk only (cold)    ${fmt(m('cold')).padStart(10)}`)
  console.log(`    of which: doc -> rows (read, JSON)   ${fmt(m('read')).padStart(10)}`)
  console.log(
    `    of which: filing transaction         ${fmt(m('file')).padStart(10)}   (transcript + closed + doc rows deleted, one commit)`,
  )
  console.log(
    `  reference: plain insert, bare table    ${fmt(m('plainInsert')).padStart(10)}   (same ${MESSAGES} rows, one transaction)`,
  )
  console.log(
    `  reference: same rows, ticket_messages  ${fmt(m('transcriptInsert')).padStart(10)}   (with its unique index)`,
  )
  const http = await httpRounds()
  console.log(
    `  over HTTP, POST …/close (5,000 notes)  ${fmt(median(http.close)).padStart(10)}   rounds ${http.close.map(fmt).join(', ')}`,
  )
  console.log(
    `  reference: GET /api/tickets round trip ${fmt(median(http.reference)).padStart(10)}`,
  )
  const worst = Math.max(m('warm'), median(http.close))
  console.log(
    `  ${worst < GOAL_MS ? 'OK' : 'OVER'}: slowest warm figure ${fmt(worst)} vs goal ${GOAL_MS} ms`,
  )
}

await main()
process.exit(0)
