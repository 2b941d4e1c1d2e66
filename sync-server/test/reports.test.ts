/**
 * Reports over HTTP against the real server, with facts put in through the real paths: customer
 * messages as signed webhooks from the Meta test double (with chosen WhatsApp timestamps), agent
 * replies appended by the stock y-websocket client and sent to the fake Graph API, closes and
 * deletes through the lifecycle API. Each test uses its own dates, so they do not see each other.
 */
import {
  appendMessage,
  conversationDocName,
  INBOX_DOC,
  newId,
  readInbox,
  readMessages,
  readReceipts,
  type AgentId,
  type MessageId,
} from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, waitForDoc, type SyncClient } from './helpers/clients.js'
import { startFakeMeta, textMessage, type FakeMeta } from './helpers/fake-meta.js'
import { startTestServer, type TestServer } from './helpers/server.js'
import { addAgent, api, type Member } from './helpers/team.js'

interface Overview {
  peakHours: number[]
  messagesByShift: { morning: number; afternoon: number; night: number }
  totals: { conversations: number; messagesReceived: number; messagesSent: number }
  shifts: { morning: string; afternoon: string; night: string }
}
interface Summary {
  count: number
  median: number | null
  p90: number | null
}
interface ResponseTimes {
  firstResponse: Summary
  resolution: Summary
  agents: { agentId: string; name: string | null; firstResponse: Summary; resolution: Summary }[]
}

let meta: FakeMeta
let server: TestServer
let admin: Member
let ana: Member
let bob: Member
const clients: SyncClient[] = []
let numbers = 5511960000000

beforeAll(async () => {
  meta = await startFakeMeta()
  server = await startTestServer({ env: meta.env })
  const token = await server.loginAdmin()
  const me = await api<{ user: { id: string } }>(server, token, 'GET', '/api/me')
  admin = { id: me.body.user.id, token }
  ana = await addAgent(server, token, 'Ana Souza')
  // A name a spreadsheet would run as a formula, with a comma: the CSV must quote and defuse it.
  const created = await api<{ agent: { id: string } }>(server, token, 'POST', '/api/agents', {
    name: '=Lima, Bob',
    email: 'bob.lima@test.local',
    password: 'correct horse battery',
    role: 'agent',
  })
  expect(created.status).toBe(201)
  bob = {
    id: created.body.agent.id,
    token: await server.login('bob.lima@test.local', 'correct horse battery'),
  }
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.stop()
  await meta?.close()
})

function open(docName: string, who: Member): Promise<SyncClient> {
  const client = connect(server.wsUrl, docName, who.token)
  clients.push(client)
  return client.synced.then(() => client)
}

/** A customer writes at WhatsApp time `at`; resolves with their conversation's id. */
async function customerSays(waId: string, text: string, at: number): Promise<string> {
  const response = await meta.webhook(
    server.url,
    meta.messages({ waId, name: 'Maria' }, textMessage(waId, text, { timestamp: new Date(at) })),
  )
  expect(response.status).toBe(200)
  const inbox = await open(INBOX_DOC, admin)
  const find = () => readInbox(inbox.doc).find((card) => card.phone === `+${waId}`)
  await waitForDoc(inbox.doc, () => find() !== undefined)
  const id = find()!.id
  const thread = await open(conversationDocName(id), admin)
  await waitForDoc(thread.doc, (doc) => readMessages(doc).some((m) => m.text === text))
  return id
}

const report = <T>(path: string, who: Member = ana) =>
  api<T>(server, who.token, 'GET', `/api/reports/${path}`)

/** Polls a report until `ok` holds (5 s at most), returning the last answer. */
async function eventually<T>(path: string, ok: (body: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000
  for (;;) {
    const { status, body } = await report<T>(path)
    expect(status).toBe(200)
    if (ok(body) || Date.now() > deadline) return body
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

const utc = (iso: string) => Date.parse(iso)
const newCustomer = () => String(numbers++)

describe('time zones', () => {
  it('a message at 02:30 UTC counts in hour 23 of the previous day in America/Sao_Paulo', async () => {
    await customerSays(newCustomer(), 'Boa noite', utc('2024-03-10T02:30:00Z'))

    const saoPaulo = await eventually<Overview>(
      'overview?from=2024-03-09&to=2024-03-09&tz=America/Sao_Paulo',
      (body) => body.totals.conversations === 1,
    )
    expect(saoPaulo.peakHours[23]).toBe(1)
    expect(saoPaulo.peakHours.reduce((a, b) => a + b)).toBe(1)
    expect(saoPaulo.totals).toEqual({ conversations: 1, messagesReceived: 1, messagesSent: 0 })
    expect(saoPaulo.messagesByShift).toEqual({ morning: 0, afternoon: 0, night: 1 })
    // Not on the 10th there…
    const nextDay = await report<Overview>(
      'overview?from=2024-03-10&to=2024-03-10&tz=America/Sao_Paulo',
    )
    expect(nextDay.body.totals.conversations).toBe(0)
    // …but on the 10th at 02:00 in UTC, and at 08:15 (morning) in Kathmandu (+05:45).
    const inUtc = await report<Overview>('overview?from=2024-03-10&to=2024-03-10&tz=UTC')
    expect(inUtc.body.peakHours[2]).toBe(1)
    const kathmandu = await report<Overview>(
      'overview?from=2024-03-10&to=2024-03-10&tz=Asia/Kathmandu',
    )
    expect(kathmandu.body.peakHours[8]).toBe(1)
    expect(kathmandu.body.messagesByShift.morning).toBe(1)

    // The heatmap: Saturday (6) 23:00 in São Paulo, Sunday (0) 02:00 in UTC.
    const volume = await report<{ matrix: number[][] }>(
      'volume?from=2024-03-09&to=2024-03-10&tz=America/Sao_Paulo',
    )
    expect(volume.status).toBe(200)
    expect(volume.body.matrix).toHaveLength(7)
    expect(volume.body.matrix[6]![23]).toBe(1)
    expect(volume.body.matrix.flat().reduce((a, b) => a + b)).toBe(1)
    const volumeUtc = await report<{ matrix: number[][] }>(
      'volume?from=2024-03-10&to=2024-03-10&tz=UTC',
    )
    expect(volumeUtc.body.matrix[0]![2]).toBe(1)
  })

  it('follows New York across its DST change', async () => {
    // 2024-03-10: 01:30 EST (06:30 UTC), then the clock jumps from 02:00 to 03:00; 03:30 EDT.
    const waId = newCustomer()
    await customerSays(waId, 'before', utc('2024-03-10T06:30:00Z'))
    await customerSays(newCustomer(), 'after', utc('2024-03-10T07:30:00Z'))
    const body = await eventually<Overview>(
      'overview?from=2024-03-10&to=2024-03-10&tz=America/New_York',
      (b) => b.totals.conversations === 2,
    )
    // The 02:30 UTC one of the first test is 21:30 on the 9th in New York.
    expect(body.totals.conversations).toBe(2)
    expect(body.peakHours[1]).toBe(1)
    expect(body.peakHours[2]).toBe(0)
    expect(body.peakHours[3]).toBe(1)
  })
})

describe('replies, sends, response and resolution times', () => {
  it('records the first response per agent, sends, and resolution when closed', async () => {
    const now = Date.now()
    const waId = newCustomer()
    const id = await customerSays(waId, 'Where is my order?', now - 10 * 60_000)
    // A second customer message does not move the start.
    await customerSays(waId, 'Hello?', now - 5 * 60_000)

    const thread = await open(conversationDocName(id), bob)
    const reply = {
      id: newId<MessageId>(),
      kind: 'agent' as const,
      authorId: bob.id as AgentId,
      text: 'On its way!',
      createdAt: Date.now(),
    }
    appendMessage(thread.doc, reply, 'local')
    // The server sends it to WhatsApp (the fake Graph API) and records the receipt.
    await waitForDoc(thread.doc, (doc) => readReceipts(doc)[reply.id]?.status === 'sent')

    const today = new Date(now).toISOString().slice(0, 10)
    const yesterday = new Date(now - 86_400_000).toISOString().slice(0, 10)
    const range = `from=${yesterday}&to=${today}&tz=UTC`
    const overview = await eventually<Overview>(
      `overview?${range}`,
      (b) => b.totals.messagesSent === 1,
    )
    expect(overview.totals).toEqual({ conversations: 1, messagesReceived: 2, messagesSent: 1 })

    let times = await eventually<ResponseTimes>(
      `response-times?${range}`,
      (b) => b.firstResponse.count === 1,
    )
    const expected = reply.createdAt - Math.floor((now - 10 * 60_000) / 1000) * 1000
    expect(times.firstResponse).toEqual({ count: 1, median: expected, p90: expected })
    expect(times.resolution.count).toBe(0)
    expect(times.agents).toEqual([
      expect.objectContaining({
        agentId: bob.id,
        name: '=Lima, Bob',
        firstResponse: { count: 1, median: expected, p90: expected },
      }),
    ])

    // Closing deletes the live document; the close is recorded and the counts stay.
    const closed = await api(server, bob.token, 'POST', `/api/conversations/${id}/close`)
    expect(closed.status).toBe(200)
    times = await eventually<ResponseTimes>(
      `response-times?${range}`,
      (b) => b.resolution.count === 1,
    )
    expect(times.resolution.median).toBeGreaterThanOrEqual(10 * 60_000)
    expect(times.resolution.median).toBeLessThan(10 * 60_000 + 60_000)
    // Credited to the assignee at close: nobody was assigned, so to whoever answered first.
    expect(times.agents[0]).toMatchObject({ agentId: bob.id, resolution: { count: 1 } })
    const after = await report<Overview>(`overview?${range}`)
    expect(after.body.totals).toEqual({ conversations: 1, messagesReceived: 2, messagesSent: 1 })

    // CSV: the team row and Bob's, his name quoted and defused.
    const csv = await fetch(`${server.url}/api/reports/response-times?${range}&format=csv`, {
      headers: { authorization: `Bearer ${ana.token}` },
    })
    expect(csv.status).toBe(200)
    const lines = (await csv.text()).split('\r\n')
    expect(lines[0]).toBe(
      'agent_id,agent_name,first_responses,first_response_median_seconds,first_response_p90_seconds,resolutions,resolution_median_seconds,resolution_p90_seconds',
    )
    expect(lines[1]).toMatch(/^,Team,1,\d+,\d+,1,\d+,\d+$/)
    expect(lines[2]).toMatch(new RegExp(`^${bob.id},"'=Lima, Bob",1,\\d+,\\d+,1,\\d+,\\d+$`))
  })
})

describe('counts are kept', () => {
  it('survive deleting the conversation, a restart, and webhooks delivered twice', async () => {
    const waId = newCustomer()
    const at = utc('2024-05-15T12:00:00Z')
    const payload = meta.messages(
      { waId, name: 'Maria' },
      textMessage(waId, 'Oi', { timestamp: new Date(at) }),
    )
    expect((await meta.webhook(server.url, payload)).status).toBe(200)
    const id = await customerSays(waId, 'Tudo bem?', at + 60_000)
    expect((await meta.webhook(server.url, payload)).status).toBe(200) // Meta retries: same wamid

    const path = 'overview?from=2024-05-15&to=2024-05-15&tz=UTC'
    const before = await eventually<Overview>(path, (b) => b.totals.messagesReceived === 2)
    expect(before.totals).toEqual({ conversations: 1, messagesReceived: 2, messagesSent: 0 })

    const deleted = await api(server, admin.token, 'DELETE', `/api/conversations/${id}`)
    expect(deleted.status).toBe(200)
    expect((await report<Overview>(path)).body.totals).toEqual(before.totals)

    for (const client of clients.splice(0)) client.destroy()
    server = await server.restart()
    for (const member of [admin, ana, bob]) {
      // Sessions live in SQLite: the tokens still work after the restart.
      expect((await api(server, member.token, 'GET', '/api/me')).status).toBe(200)
    }
    expect((await report<Overview>(path)).body.totals).toEqual(before.totals)
    expect(
      (await report<Overview>('overview?from=2024-03-09&to=2024-03-09&tz=America/Sao_Paulo')).body
        .totals.conversations,
    ).toBe(1)
  })
})

describe('CSV export', () => {
  it('overview and volume download as CSV attachments', async () => {
    const range = 'from=2024-03-09&to=2024-03-09&tz=America/Sao_Paulo'
    const overview = await fetch(`${server.url}/api/reports/overview?${range}&format=csv`, {
      headers: { authorization: `Bearer ${ana.token}` },
    })
    expect(overview.status).toBe(200)
    expect(overview.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(overview.headers.get('content-disposition')).toBe(
      'attachment; filename="atende-overview-2024-03-09-to-2024-03-09.csv"',
    )
    const bytes = new Uint8Array(await overview.arrayBuffer())
    // A UTF-8 byte order mark first, for spreadsheets (fetch's text() would hide it).
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = new TextDecoder().decode(bytes).trimEnd().split('\r\n')
    expect(rows[0]).toBe('metric,key,value')
    expect(rows).toContain('conversations_started_by_hour,23,1')
    expect(rows).toContain('conversations_started_by_hour,22,0')
    expect(rows).toContain('messages_received_by_shift,night,1')
    expect(rows).toContain('totals,conversations,1')
    // One row per source the range's conversations came from (here: one, directly).
    expect(rows).toContain('conversations_by_source,direct,1')
    expect(rows).toHaveLength(1 + 24 + 3 + 3 + 1)

    const volume = await fetch(`${server.url}/api/reports/volume?${range}&format=csv`, {
      headers: { authorization: `Bearer ${ana.token}` },
    })
    expect(volume.headers.get('content-disposition')).toMatch(
      /^attachment; filename="atende-volume-/,
    )
    const lines = (await volume.text()).trimEnd().split('\r\n')
    expect(lines[0]).toBe(
      `weekday,weekday_name,${Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')).join(',')}`,
    )
    expect(lines).toHaveLength(8)
    expect(lines[7]).toBe(`6,Saturday,${[...new Array(23).fill(0), 1].join(',')}`)
  })
})

describe('bad parameters', () => {
  it('answer 400 naming the problem', async () => {
    const cases = [
      'overview',
      'overview?to=2024-01-31&tz=UTC',
      'overview?from=2024-01-01&tz=UTC',
      'overview?from=2024-02-30&to=2024-03-01&tz=UTC',
      'overview?from=2024/01/01&to=2024-01-31&tz=UTC',
      'overview?from=2024-02-01&to=2024-01-31&tz=UTC',
      'overview?from=2024-01-01&to=2024-01-31',
      'overview?from=2024-01-01&to=2024-01-31&tz=Mars/Olympus',
      'volume?from=2020-01-01&to=2024-01-31&tz=UTC',
      'volume?from=2024-01-01&to=2024-01-31&tz=UTC&format=xlsx',
      'response-times?from=x&to=y&tz=UTC',
    ]
    for (const path of cases) {
      const { status, body } = await report<{ error: { code: string; message: string } }>(path)
      expect({ path, status }).toEqual({ path, status: 400 })
      expect(body.error.code).toBe('invalid_query')
    }
    const signedOut = await fetch(
      `${server.url}/api/reports/overview?from=2024-01-01&to=2024-01-31&tz=UTC`,
    )
    expect(signedOut.status).toBe(401)
  })
})

describe('shifts', () => {
  it('admins move the boundaries; the overview follows; agents may only read them', async () => {
    expect((await report<{ shifts: unknown }>('shifts')).body).toEqual({
      shifts: { morning: '06:00', afternoon: '12:00', night: '18:00' },
    })
    const later = { shifts: { morning: '07:00', afternoon: '13:00', night: '23:45' } }
    expect((await api(server, ana.token, 'PUT', '/api/reports/shifts', later)).status).toBe(403)
    for (const bad of [
      { shifts: { morning: '07:10', afternoon: '13:00', night: '23:45' } },
      { shifts: { morning: '07:00', afternoon: '23:45', night: '13:00' } },
      { shifts: { morning: '7:00', afternoon: '13:00', night: '23:45' } },
      { shifts: { morning: '07:00', afternoon: '13:00' } },
    ]) {
      expect((await api(server, admin.token, 'PUT', '/api/reports/shifts', bad)).status).toBe(400)
    }
    const saved = await api(server, admin.token, 'PUT', '/api/reports/shifts', later)
    expect(saved).toEqual({ status: 200, body: later })
    // The 23:30 message (São Paulo) is now in the afternoon shift, which runs to 23:45.
    const overview = await report<Overview>(
      'overview?from=2024-03-09&to=2024-03-09&tz=America/Sao_Paulo',
    )
    expect(overview.body.messagesByShift).toEqual({ morning: 0, afternoon: 1, night: 0 })
    expect(overview.body.shifts).toEqual(later.shifts)

    const defaults = { shifts: { morning: '06:00', afternoon: '12:00', night: '18:00' } }
    expect((await api(server, admin.token, 'PUT', '/api/reports/shifts', defaults)).status).toBe(
      200,
    )
  })
})
