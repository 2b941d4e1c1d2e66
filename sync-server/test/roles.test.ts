/**
 * Who may use what. The access table (src/http/access.ts) is the set of mounted `/api` routes, no
 * more, no less; every declared route is walked with every role (nobody, an agent, an admin, a
 * deactivated agent's old token) against the real server; every body cap holds to the byte; and
 * the documents declared in shared/src/ydoc/access.ts open for the roles they name, and only then.
 */
import http from 'node:http'
import path from 'node:path'
import {
  appendMessage,
  conversationDocName,
  conversationParts,
  DOC_ACCESS,
  readMessages,
  type AgentId,
  type MessageId,
} from '@atende/shared'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_ACCESS, MAX_JSON_BODY, type RouteAccess } from '../src/http/access.js'
import { connect, waitForDoc, type SyncClient } from './helpers/clients.js'
import { mountedApiRoutes } from './helpers/mounted-routes.js'
import { startTestServer, TEST_ADMIN, type TestServer } from './helpers/server.js'
import { addAgent, api, startConversation, type Member } from './helpers/team.js'

const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`

describe('the access table', () => {
  it('declares every mounted /api route, and nothing that is not mounted', async () => {
    const mounted = (await mountedApiRoutes({ demo: true })).map(key).sort()
    const declared = API_ACCESS.map(key).sort()
    expect(new Set(declared).size).toBe(declared.length)
    expect(mounted.filter((route) => !declared.includes(route))).toEqual([])
    expect(declared.filter((route) => !mounted.includes(route))).toEqual([])
  })

  it('declares the simulator as demo only, the one part missing with real credentials', async () => {
    const mounted = (await mountedApiRoutes({ demo: false })).map(key)
    const missing = API_ACCESS.filter((route) => !mounted.includes(key(route)))
    expect(missing.length).toBeGreaterThan(0)
    expect(missing.every((route) => route.demoOnly)).toBe(true)
    expect(API_ACCESS.filter((r) => r.demoOnly).every((r) => r.path.includes('/simulator'))).toBe(
      true,
    )
  })

  it('caps every body at 1 MiB or less, but attachments', () => {
    for (const route of API_ACCESS) {
      if (route.method === 'GET') expect(route.bodyLimit ?? 0, key(route)).toBe(0)
      else expect(route.bodyLimit, key(route)).toBeGreaterThan(0)
      if (!route.path.endsWith('/attachments'))
        expect(route.bodyLimit ?? 0, key(route)).toBeLessThanOrEqual(MAX_JSON_BODY)
    }
  })
})

let server: TestServer
let admin: Member
let agent: Member
let formerAgent: Member
let conversationId: string
const clients: SyncClient[] = []

function open(docName: string, token: string | null): SyncClient {
  const client = connect(server.wsUrl, docName, token)
  clients.push(client)
  return client
}

async function deactivate(member: Member): Promise<void> {
  const changed = await api(server, admin.token, 'PATCH', `/api/agents/${member.id}`, {
    active: false,
  })
  expect(changed.status).toBe(200)
}

beforeAll(async () => {
  server = await startTestServer()
  const adminToken = await server.loginAdmin()
  const me = await api<{ user: { id: string } }>(server, adminToken, 'GET', '/api/me')
  admin = { id: me.body.user.id, token: adminToken }
  agent = await addAgent(server, admin.token, 'Ana Souza')
  formerAgent = await addAgent(server, admin.token, 'Caio Former')
  conversationId = await startConversation(server, agent.token)
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.stop()
})

/** The route's path with every `:param` filled with a random uuid (so nothing is found). */
function concrete(route: RouteAccess): string {
  return route.path.replace(/:\w+/g, () => crypto.randomUUID())
}

interface Body {
  /** The bytes to send (default `{}`; none for GET). */
  text?: string
  /** Send them chunked, without Content-Length: the cap must hold while reading. */
  chunked?: boolean
  /** Send only the headers, announcing this Content-Length. */
  announce?: number
}

/**
 * One request on a connection of its own (a refused body leaves its connection unusable, and a
 * pooled client would reuse it), answered with the status and the error code, if any.
 */
function send(
  route: RouteAccess,
  token: string | null,
  body: Body = {},
): Promise<{ status: number; code?: string; message?: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (token) headers.authorization = `Bearer ${token}`
  const text = route.method === 'GET' ? null : (body.text ?? '{}')
  if (body.announce !== undefined) headers['content-length'] = String(body.announce)
  else if (text !== null && !body.chunked)
    headers['content-length'] = String(Buffer.byteLength(text))
  // Node only chunks POST, PUT and PATCH bodies by default.
  else if (text !== null) headers['transfer-encoding'] = 'chunked'
  return new Promise((resolve, reject) => {
    const request = http.request(server.url + concrete(route), {
      method: route.method,
      headers,
      agent: false,
    })
    let answered = false
    request.on('response', (response) => {
      answered = true
      const status = response.statusCode ?? 0
      // The notification stream never ends: its headers are the answer.
      if (response.headers['content-type']?.startsWith('text/event-stream')) {
        request.destroy()
        return resolve({ status })
      }
      let answer = ''
      response.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk))
      response.on('end', () => {
        request.destroy()
        try {
          const { error } = JSON.parse(answer) as { error?: { code?: string; message?: string } }
          resolve({ status, code: error?.code, message: error?.message })
        } catch {
          resolve({ status })
        }
      })
    })
    // Writing the rest of a refused body may fail once the answer is in: that is expected.
    request.on('error', (err) => {
      if (!answered) reject(err)
    })
    if (body.announce !== undefined) return void request.flushHeaders()
    if (text !== null && body.chunked) {
      for (let offset = 0; offset < text.length; offset += 8192) {
        request.write(text.slice(offset, offset + 8192))
      }
    } else if (text !== null) request.write(text)
    request.end()
  })
}

/** Signing out ends the session it is called with: hand it a session of its own. */
async function tokenFor(route: RouteAccess, token: string, email: string, password: string) {
  return route.path === '/api/auth/logout' ? server.login(email, password) : token
}

/** Every row of every table but sessions (whose last-seen times move on every request). */
function snapshot(): string {
  const db = new Database(path.join(server.dataDir, 'atende.db'), { readonly: true })
  try {
    const tables = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sessions' ORDER BY name",
      )
      .all()
    return JSON.stringify(
      tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]),
    )
  } finally {
    db.close()
  }
}

/** A JSON object of exactly `size` bytes. */
function jsonOf(size: number): string {
  const shell = '{"pad":""}'
  return `{"pad":"${'x'.repeat(size - shell.length)}"}`
}

// First, while nothing else writes: the snapshot compares the whole database.
describe('body caps', () => {
  const withBody = API_ACCESS.filter((route) => route.method !== 'GET')
  const small = withBody.filter((route) => route.bodyLimit! <= MAX_JSON_BODY)
  const expectedCode = (route: RouteAccess) => route.tooLarge?.code ?? 'payload_too_large'

  it('refuse a body one byte over the route’s cap with 413, and store nothing of it', async () => {
    const before = snapshot()
    for (const route of withBody) {
      const over = route.bodyLimit! + 1
      const announced = await send(route, admin.token, { announce: over })
      expect({ route: key(route), ...announced }).toMatchObject({
        route: key(route),
        status: 413,
        code: expectedCode(route),
      })
      if (route.bodyLimit! > MAX_JSON_BODY) continue // 20 MB: announcing it is enough
      const sent = await send(route, admin.token, { text: jsonOf(over) })
      expect({ route: key(route), ...sent }).toMatchObject({
        route: key(route),
        status: 413,
        code: expectedCode(route),
      })
      // Without Content-Length the cap holds while reading.
      const streamed = await send(route, admin.token, { text: jsonOf(over), chunked: true })
      expect({ route: key(route), ...streamed }).toMatchObject({
        route: key(route),
        status: 413,
        code: expectedCode(route),
      })
    }
    expect(snapshot()).toBe(before)
  })

  it('take a body of exactly the cap', async () => {
    for (const route of small) {
      const token = await tokenFor(route, admin.token, TEST_ADMIN.email, TEST_ADMIN.password)
      const { status } = await send(route, token, { text: jsonOf(route.bodyLimit!) })
      expect(status, key(route)).not.toBe(413)
      expect(status, key(route)).toBeLessThan(500)
    }
  })
})

describe('every declared route, with every role', () => {
  const AGENT_PASSWORD = 'correct horse battery'

  it('nobody: 401 everywhere but the public routes', async () => {
    for (const route of API_ACCESS) {
      const { status, code } = await send(route, null)
      if (route.access === 'public') expect(status, key(route)).not.toBe(401)
      else
        expect({ route: key(route), status, code }).toMatchObject({
          status: 401,
          code: 'unauthorized',
        })
    }
  })

  it('an agent: 403 exactly on admin routes, never 401', async () => {
    for (const route of API_ACCESS) {
      const token = await tokenFor(route, agent.token, 'ana.souza@test.local', AGENT_PASSWORD)
      const { status, code } = await send(route, token)
      const seen = { route: key(route), status, code }
      if (route.access === 'admin') expect(seen).toMatchObject({ status: 403, code: 'forbidden' })
      else {
        expect(seen.status, key(route)).not.toBe(401)
        expect(seen.status, key(route)).not.toBe(403)
      }
      expect(status, key(route)).toBeLessThan(500)
    }
  })

  it('an admin: never 401 or 403, and every declared route is served', async () => {
    for (const route of API_ACCESS) {
      const token = await tokenFor(route, admin.token, TEST_ADMIN.email, TEST_ADMIN.password)
      const { status, message } = await send(route, token)
      // The API's catch-all: declared, but not mounted on the running server.
      expect(message ?? '', key(route)).not.toMatch(/^No route for/)
      expect(status, key(route)).not.toBe(401)
      expect(status, key(route)).not.toBe(403)
      expect(status, key(route)).toBeLessThan(500)
    }
  })

  it('a deactivated agent’s old token: 401 everywhere but the public routes', async () => {
    const signedIn = await send(
      API_ACCESS.find((route) => route.path === '/api/me')!,
      formerAgent.token,
    )
    expect(signedIn.status).toBe(200)
    await deactivate(formerAgent)
    for (const route of API_ACCESS) {
      const { status } = await send(route, formerAgent.token)
      if (route.access === 'public') expect(status, key(route)).not.toBe(401)
      else expect(status, key(route)).toBe(401)
    }
  })
})

function note(author: Member, text: string) {
  return {
    id: crypto.randomUUID() as MessageId,
    kind: 'note' as const,
    authorId: author.id as AgentId,
    text,
    createdAt: Date.now(),
  }
}

describe('documents', () => {
  it('declares who opens each kind: agents and admins, writing through the rules only', () => {
    expect(DOC_ACCESS).toEqual({
      inbox: { open: ['agent', 'admin'], write: 'server-only' },
      conversation: { open: ['agent', 'admin'], write: 'own-messages' },
    })
  })

  it('agents and admins open the inbox and a conversation with the stock client', async () => {
    for (const member of [agent, admin]) {
      const inbox = open('inbox', member.token)
      const conversation = open(conversationDocName(conversationId), member.token)
      await Promise.all([inbox.synced, conversation.synced])
      expect(conversationParts(conversation.doc).meta.get('id')).toBe(conversationId)
      expect(inbox.doc.getMap('conversations').has(conversationId)).toBe(true)
    }
  })

  it('nobody, or a deactivated agent’s old token: 4401', async () => {
    for (const token of [null, formerAgent.token]) {
      for (const name of ['inbox', conversationDocName(conversationId)]) {
        expect((await open(name, token).closed).code).toBe(4401)
      }
    }
  })

  it('a kind of document nobody declared: 4404', async () => {
    for (const name of ['settings', 'audit', 'agents', `ticket:${crypto.randomUUID()}`]) {
      expect((await open(name, agent.token).closed).code).toBe(4404)
    }
  })

  it('an agent deactivated while connected has its sockets closed', async () => {
    const leaving = await addAgent(server, admin.token, 'Dora Leaving')
    const inbox = open('inbox', leaving.token)
    const conversation = open(conversationDocName(conversationId), leaving.token)
    await Promise.all([inbox.synced, conversation.synced])
    await deactivate(leaving)
    expect((await inbox.closed).code).toBe(4401)
    expect((await conversation.closed).code).toBe(4401)
  })
})

describe('internal notes', () => {
  it('are not rate-capped: 200 written as fast as the client can are all kept', async () => {
    const name = conversationDocName(conversationId)
    const writer = open(name, agent.token)
    let closes = 0
    writer.provider.on('connection-close', () => closes++)
    await writer.synced
    const ids = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const written = note(agent, `note ${i}`)
      ids.add(written.id)
      appendMessage(writer.doc, written, 'local')
    }
    const hasAll = (doc: SyncClient['doc']) =>
      readMessages(doc).filter((message) => ids.has(message.id)).length === ids.size

    const reader = open(name, admin.token)
    await reader.synced
    await waitForDoc(reader.doc, hasAll)
    expect(closes).toBe(0)
    expect(writer.provider.wsconnected).toBe(true)

    // And on disk: a restarted server serves all 200.
    for (const client of [writer, reader]) {
      client.destroy()
      clients.splice(clients.indexOf(client), 1)
    }
    server = await server.restart()
    const afterRestart = open(name, agent.token)
    await afterRestart.synced
    expect(hasAll(afterRestart.doc)).toBe(true)
  })
})
