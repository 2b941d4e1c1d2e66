import {
  appendMessage,
  conversationDocName,
  readMessages,
  type AgentId,
  type MessageId,
} from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, waitForDoc, type SyncClient } from './helpers/clients.js'
import { startTestServer, type TestServer } from './helpers/server.js'
import { addAgent, api, startConversation, type Member } from './helpers/team.js'

interface Notification {
  id: string
  agentId: string
  kind: string
  conversationId: string
  actorId: string | null
  messageId: string | null
  createdAt: number
  readAt: number | null
}
interface Page {
  notifications: Notification[]
  next: string | null
  unread: number
}

let server: TestServer
let ana: Member
let bob: Member
let carla: Member
let conversationId: string
const clients: SyncClient[] = []

function note(author: Member, text: string, mentions?: Member[]) {
  return {
    id: crypto.randomUUID() as MessageId,
    kind: 'note' as const,
    authorId: author.id as AgentId,
    text,
    createdAt: Date.now(),
    ...(mentions ? { mentions: mentions.map((m) => m.id as AgentId) } : {}),
  }
}

const writers = new Map<Member, SyncClient>()
let witness: SyncClient | undefined

function open(member: Member): SyncClient {
  const client = connect(server.wsUrl, conversationDocName(conversationId), member.token)
  clients.push(client)
  return client
}

/** Appends a note as `author` through a stock y-websocket client and waits until the server has it. */
async function writeNote(author: Member, message: ReturnType<typeof note>): Promise<void> {
  let writer = writers.get(author)
  if (!writer) writers.set(author, (writer = open(author)))
  witness ??= open(carla)
  await Promise.all([writer.synced, witness.synced])
  appendMessage(writer.doc, message, 'local')
  // Another client sees the note only once the server accepted (and stored) it.
  await waitForDoc(witness.doc, (doc) => readMessages(doc).some((m) => m.id === message.id))
}

const list = (member: Member, query = '') =>
  api<Page>(server, member.token, 'GET', `/api/notifications${query}`)

/** Polls briefly: notifications are written as the server applies the update, just after the ack. */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000
  for (;;) {
    const value = await read()
    if (ok(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

beforeAll(async () => {
  server = await startTestServer()
  const admin = await server.loginAdmin()
  ana = await addAgent(server, admin, 'Ana Souza')
  bob = await addAgent(server, admin, 'Bob Lima')
  carla = await addAgent(server, admin, 'Carla Dias')
  conversationId = await startConversation(server, ana.token)
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.stop()
})

describe('mentions in notes', () => {
  it('a note mentioning Bob notifies Bob once, and nobody else', async () => {
    const message = note(ana, '@Bob Lima can you check the invoice?', [bob, bob, ana])
    await writeNote(ana, message)

    const forBob = await eventually(
      () => list(bob),
      (page) => page.body.notifications.length > 0,
    )
    expect(forBob.status).toBe(200)
    expect(forBob.body.unread).toBe(1)
    expect(forBob.body.notifications).toHaveLength(1)
    expect(forBob.body.notifications[0]).toMatchObject({
      agentId: bob.id,
      kind: 'mention',
      conversationId,
      actorId: ana.id,
      messageId: message.id,
      readAt: null,
    })

    // The author mentioning herself, and Carla who was not mentioned, get nothing.
    for (const other of [ana, carla]) {
      const page = await list(other)
      expect(page.body).toMatchObject({ notifications: [], unread: 0 })
    }
  })

  it('a note without mentions notifies nobody', async () => {
    await writeNote(carla, note(carla, 'Customer called again'))
    for (const member of [ana, bob, carla]) {
      const page = await list(member)
      expect(page.body.notifications.every((n) => n.actorId !== carla.id)).toBe(true)
    }
  })

  it('pages newest first and marks read, one by one or all at once', async () => {
    await writeNote(carla, note(carla, 'Bob, one more', [bob]))
    await writeNote(ana, note(ana, 'Bob, and another', [bob]))
    const all = await eventually(
      () => list(bob),
      (page) => page.body.notifications.length === 3,
    )
    expect(all.body.unread).toBe(3)
    const times = all.body.notifications.map((n) => n.createdAt)
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    expect(all.body.notifications[0]!.actorId).toBe(ana.id)

    const first = await list(bob, '?limit=2')
    expect(first.body.notifications).toHaveLength(2)
    expect(first.body.next).toBeTruthy()
    const second = await list(bob, `?limit=2&before=${encodeURIComponent(first.body.next!)}`)
    expect(second.body.notifications.map((n) => n.id)).toEqual([all.body.notifications[2]!.id])
    expect(second.body.next).toBeNull()

    const oldest = all.body.notifications[2]!.id
    const one = await api<{ marked: number; unread: number }>(
      server,
      bob.token,
      'POST',
      '/api/notifications/read',
      { ids: [oldest] },
    )
    expect(one.body).toEqual({ marked: 1, unread: 2 })

    // Ana cannot mark Bob's notifications.
    const foreign = await api<{ marked: number }>(
      server,
      ana.token,
      'POST',
      '/api/notifications/read',
      {
        ids: [all.body.notifications[0]!.id],
      },
    )
    expect(foreign.body.marked).toBe(0)

    const rest = await api<{ marked: number; unread: number }>(
      server,
      bob.token,
      'POST',
      '/api/notifications/read',
      {},
    )
    expect(rest.body).toEqual({ marked: 2, unread: 0 })
    const after = await list(bob)
    expect(after.body.notifications.every((n) => typeof n.readAt === 'number')).toBe(true)
  })

  it('pushes new notifications and read changes down the stream', async () => {
    const response = await fetch(`${server.url}/api/notifications/stream`, {
      headers: { authorization: `Bearer ${carla.token}` },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
    let received = ''
    const waitFor = async (pattern: RegExp) => {
      while (!pattern.test(received)) {
        const { value, done } = await reader.read()
        if (done) throw new Error(`stream ended before ${pattern}: ${received}`)
        received += value
      }
    }
    await waitFor(/event: ready\ndata: \{"unread":0\}/)

    const message = note(ana, 'Carla, see this', [carla])
    await writeNote(ana, message)
    await waitFor(/event: notification\ndata: .*"messageId":"[^"]+"/)
    const data = /event: notification\ndata: (.*)\n/.exec(received)![1]!
    expect(JSON.parse(data)).toMatchObject({
      agentId: carla.id,
      kind: 'mention',
      messageId: message.id,
    })

    await api(server, carla.token, 'POST', '/api/notifications/read', {})
    await waitFor(/event: read\ndata: \{"ids":null/)
    await reader.cancel()
  })
})

describe('access', () => {
  it('answers 401 without a session', async () => {
    for (const [method, path] of [
      ['GET', '/api/notifications'],
      ['POST', '/api/notifications/read'],
      ['GET', '/api/notifications/stream'],
    ] as const) {
      const response = await server.request(path, {
        method,
        json: method === 'POST' ? {} : undefined,
      })
      expect(response.status, `${method} ${path}`).toBe(401)
      expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } })
    }
  })

  it('refuses malformed requests', async () => {
    expect((await list(bob, '?limit=0')).status).toBe(400)
    expect((await list(bob, '?before=nonsense')).status).toBe(400)
    const bad = await api(server, bob.token, 'POST', '/api/notifications/read', { ids: ['x'] })
    expect(bad.status).toBe(400)
  })
})
