import {
  bucketOf,
  conversationDocName,
  insertMessageByTime,
  writeMeta,
  writeReceipt,
  type AgentId,
  type ContactId,
  type Message,
  type MessageId,
} from '@atende/shared'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../log.js'
import { openDatabase, type Db } from '../store/db.js'
import { createDocumentStore } from '../store/documents.js'
import { createReportStore } from '../store/reports.js'
import { DocManager } from '../sync/docs.js'
import { startReportRecorder, type ReportRecorder } from './recorder.js'

const quiet = createLogger('test', { write: () => {} })
const contact = 'c0000000-0000-4000-8000-000000000001' as ContactId
const ana = 'a0000000-0000-4000-8000-000000000001' as AgentId
const bob = 'a0000000-0000-4000-8000-000000000002' as AgentId
const T = Date.parse('2024-03-10T02:30:00Z')
const MIN = 60_000

const managers: DocManager[] = []
const recorders: ReportRecorder[] = []
afterEach(() => {
  for (const r of recorders.splice(0)) r.stop()
  for (const m of managers.splice(0)) m.close()
})

function setup() {
  const db = openDatabase(':memory:')
  const store = createDocumentStore(db)
  const facts = createReportStore(db)
  const manager = (record = true) => {
    const docs = new DocManager({ store, log: quiet, idleMs: 1000 })
    managers.push(docs)
    if (record) recorders.push(startReportRecorder({ db, docs, log: quiet }))
    return docs
  }
  const conversation = (id = crypto.randomUUID()) => {
    db.prepare(
      'INSERT INTO conversations (id, contact_id, status, created_at) VALUES (?, ?, ?, ?)',
    ).run(id, contact, 'open', T)
    return id
  }
  return { db, facts, manager, conversation }
}

const customer = (at: number, id: string = crypto.randomUUID()): Message => ({
  id: id as MessageId,
  kind: 'customer',
  authorId: contact,
  text: 'Olá',
  createdAt: at,
  waMessageId: `wamid.${id}`,
  type: 'text',
})
const agent = (at: number, by: AgentId = ana, id: string = crypto.randomUUID()): Message => ({
  id: id as MessageId,
  kind: 'agent',
  authorId: by,
  text: 'Hi!',
  createdAt: at,
})
const note = (at: number): Message => ({
  id: crypto.randomUUID() as MessageId,
  kind: 'note',
  authorId: ana,
  text: 'n',
  createdAt: at,
})

function add(docs: DocManager, id: string, ...messages: Message[]) {
  docs.get(conversationDocName(id)).transact((doc) => {
    for (const message of messages) insertMessageByTime(doc, message, 'server')
  }, 'server')
}
function send(docs: DocManager, id: string, messageId: string, at: number) {
  docs
    .get(conversationDocName(id))
    .transact(
      (doc) => void writeReceipt(doc, messageId, { status: 'sent', at }, 'server'),
      'server',
    )
}

function totals(db: Db) {
  return db
    .prepare(
      'SELECT coalesce(sum(conversations), 0) AS conversations, coalesce(sum(received), 0) AS received, coalesce(sum(sent), 0) AS sent FROM report_buckets',
    )
    .get()
}
function row(db: Db, id: string) {
  return db
    .prepare(
      `SELECT c.*, responder.agent_id AS first_responder_id, assignee.agent_id AS assignee_id
       FROM report_conversations c
       LEFT JOIN report_agents responder ON responder.key = c.first_responder
       LEFT JOIN report_agents assignee ON assignee.key = c.assignee
       WHERE c.id = ?`,
    )
    .get(id) as Record<string, unknown> | undefined
}

describe('the report recorder', () => {
  it('records customer messages, the first response and sends, once each', () => {
    const { db, manager, conversation } = setup()
    const docs = manager()
    const id = conversation()
    const reply = agent(T + 5 * MIN)
    add(docs, id, customer(T), note(T + MIN), customer(T + 2 * MIN))
    add(docs, id, reply, agent(T + 9 * MIN, bob))
    send(docs, id, reply.id, T + 5 * MIN + 800)
    send(docs, id, reply.id, T + 5 * MIN + 900) // a second report of the same send
    docs
      .get(conversationDocName(id))
      .transact(
        (doc) =>
          void writeReceipt(doc, reply.id, { status: 'delivered', at: T + 6 * MIN }, 'server'),
        'server',
      )

    expect(totals(db)).toEqual({ conversations: 1, received: 2, sent: 1 })
    expect(row(db, id)).toMatchObject({
      started_at: T,
      first_response_at: T + 5 * MIN,
      first_responder_id: ana,
    })
    // 02:30–02:45 UTC holds the start, both customer messages and the send.
    const bucket = db.prepare('SELECT * FROM report_buckets WHERE bucket = ?').get(bucketOf(T))
    expect(bucket).toEqual({ bucket: bucketOf(T), conversations: 1, received: 2, sent: 1 })

    // Loaded again (and again): nothing is counted twice.
    docs.sweep(Date.now() + 60_000)
    docs.get(conversationDocName(id))
    manager().get(conversationDocName(id))
    expect(totals(db)).toEqual({ conversations: 1, received: 2, sent: 1 })
  })

  it('scans a document on load for what was written while nobody recorded', () => {
    const { db, manager, conversation } = setup()
    const id = conversation()
    const unobserved = manager(false)
    const reply = agent(T + MIN)
    add(unobserved, id, customer(T), reply)
    send(unobserved, id, reply.id, T + MIN + 500)
    unobserved.close()
    expect(totals(db)).toEqual({ conversations: 0, received: 0, sent: 0 })

    manager().get(conversationDocName(id))
    expect(totals(db)).toEqual({ conversations: 1, received: 1, sent: 1 })
    expect(row(db, id)).toMatchObject({ started_at: T, first_response_at: T + MIN })
  })

  it('moves the start when an earlier customer message arrives late', () => {
    const { db, manager, conversation } = setup()
    const docs = manager()
    const id = conversation()
    add(docs, id, customer(T + 60 * MIN), agent(T + 30 * MIN, bob), agent(T + 61 * MIN))
    expect(row(db, id)).toMatchObject({
      started_at: T + 60 * MIN,
      first_response_at: T + 61 * MIN,
      first_responder_id: ana,
    })
    add(docs, id, customer(T))
    expect(row(db, id)).toMatchObject({
      started_at: T,
      first_response_at: T + 30 * MIN,
      first_responder_id: bob,
    })
    const started = db
      .prepare('SELECT bucket, conversations FROM report_buckets WHERE conversations != 0')
      .all()
    expect(started).toEqual([{ bucket: bucketOf(T), conversations: 1 }])
  })

  it('records the close from the conversations row, and keeps everything when the document goes', () => {
    const { db, manager, conversation } = setup()
    const docs = manager()
    const id = conversation()
    add(docs, id, customer(T), agent(T + MIN))
    docs
      .get(conversationDocName(id))
      .transact((doc) => writeMeta(doc, { assigneeId: bob }, 'server'), 'server')
    // Response times' per-day cache, filled before the close, must see it.
    createReportStore(db).durationGroups(Math.floor(T / 86_400_000), Math.floor(T / 86_400_000))
    const before = Date.now()
    db.prepare("UPDATE conversations SET status = 'closed' WHERE id = ?").run(id)
    docs.remove(conversationDocName(id))
    db.prepare('DELETE FROM conversations WHERE id = ?').run(id)
    const closed = row(db, id)!
    expect(closed.closed_at).toBeGreaterThanOrEqual(before)
    expect(closed.closed_at).toBeLessThanOrEqual(Date.now())
    expect(closed).toMatchObject({ assignee_id: bob, started_at: T })
    const day = Math.floor(T / 86_400_000)
    const { resolution } = createReportStore(db).durationGroups(day, day)
    expect(resolution).toEqual([[bob, [(closed.closed_at as number) - T]]])
    expect(totals(db)).toEqual({ conversations: 1, received: 1, sent: 0 })
  })

  it('a failure to record never reaches the writer', () => {
    const { db, manager, conversation } = setup()
    const docs = manager()
    const id = conversation()
    db.exec('DROP TABLE report_buckets')
    expect(() => add(docs, id, customer(T))).not.toThrow()
  })

  it('whatever the order of arrivals, reloads and repeats, the counters match the facts', () => {
    // Operations on one conversation: customer and agent messages (some twice, as a replayed
    // webhook would be written again by a buggy writer, but with the same id), sends, reloads.
    type Op =
      | { type: 'customer'; n: number; at: number }
      | { type: 'agent'; n: number; at: number }
      | { type: 'send'; n: number; at: number }
      | { type: 'reload' }
      | { type: 'offline' }
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ type: fc.constant('customer' as const), n: fc.nat(8), at: fc.nat(240) }),
      fc.record({ type: fc.constant('agent' as const), n: fc.nat(8), at: fc.nat(240) }),
      fc.record({ type: fc.constant('send' as const), n: fc.nat(8), at: fc.nat(240) }),
      fc.constant({ type: 'reload' as const }),
      fc.constant({ type: 'offline' as const }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const { db, facts, manager, conversation } = setup()
        const id = conversation()
        const name = conversationDocName(id)
        let docs = manager()
        const ids = new Map<string, string>()
        const idOf = (kind: string, n: number) => {
          const key = `${kind}${n}`
          if (!ids.has(key)) ids.set(key, crypto.randomUUID())
          return ids.get(key)!
        }
        for (const o of ops) {
          if (o.type === 'reload') {
            docs.close()
            docs = manager()
          } else if (o.type === 'offline') {
            // Writes while no recorder watches; the next load must catch up.
            docs.close()
            docs = manager(false)
          } else {
            const doc = docs.get(name).doc
            const messages = doc.getArray<Message>('messages').toArray()
            if (o.type === 'send') {
              const target = messages.find((m) => m.id === idOf('agent', o.n))
              if (target) send(docs, id, target.id, T + o.at * MIN)
            } else {
              const messageId = idOf(o.type, o.n)
              if (messages.some((m) => m.id === messageId)) continue
              add(
                docs,
                id,
                o.type === 'customer'
                  ? customer(T + o.at * MIN, messageId)
                  : agent(T + o.at * MIN, ana, messageId),
              )
            }
          }
        }
        docs.close()
        docs = manager()
        const doc = docs.get(name).doc
        const messages = doc.getArray<Message>('messages').toArray()
        const receipts = doc.getMap('receipts')
        const customers = messages.filter((m) => m.kind === 'customer').map((m) => m.createdAt)
        const started = customers.length > 0 ? Math.min(...customers) : null
        const responses = messages.filter(
          (m) => m.kind === 'agent' && started !== null && m.createdAt >= started,
        )
        expect(totals(db)).toEqual({
          conversations: started === null ? 0 : 1,
          received: customers.length,
          sent: receipts.size,
        })
        if (started !== null) {
          expect(facts.buckets(bucketOf(started), bucketOf(started)).map((b) => b[1])).toEqual([1])
          expect(row(db, id)).toMatchObject({
            started_at: started,
            first_response_at:
              responses.length > 0 ? Math.min(...responses.map((m) => m.createdAt)) : null,
          })
        }
        docs.close()
        managers.splice(0)
        recorders.splice(0).forEach((r) => r.stop())
      }),
      { numRuns: 60 },
    )
  })
})
