/**
 * The demo's embedded simulator, end to end in one real server: the page API plays a customer, the
 * message travels as a signed webhook through the real intake into the inbox, its picture through
 * the real two-step Graph download, and an agent's reply through the real outbox to the fake Graph,
 * which answers with status webhooks that tick the agent's message.
 */
import {
  appendMessage,
  conversationDocName,
  conversationParts,
  readInbox,
  readMessages,
  type AgentId,
  type MessageId,
} from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_BUSINESS } from '../src/whatsapp/simulator/index.js'
import { connect, waitForDoc, type SyncClient } from './helpers/clients.js'
import { startTestServer, type TestServer } from './helpers/server.js'
import { api } from './helpers/team.js'

let server: TestServer
let token: string
let agentId: string
const clients: SyncClient[] = []
const graphUrl = () => `${server.url}/simulator/graph/v25.0`

interface Entry {
  wamid: string
  from: 'customer' | 'agent'
  text?: string
  status?: string
  delivery?: string
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function open(name: string): SyncClient {
  const client = connect(server.wsUrl, name, token)
  clients.push(client)
  return client
}

async function newCustomer(name: string, phone: string): Promise<string> {
  const created = await api<{ customer: { id: string } }>(
    server,
    token,
    'POST',
    '/api/simulator/customers',
    { name, phone },
  )
  expect(created.status).toBe(201)
  return created.body.customer.id
}

async function conversationOf(name: string): Promise<string> {
  const inbox = open('inbox')
  await inbox.synced
  await waitForDoc(inbox.doc, (doc) => readInbox(doc).some((s) => s.contactName === name))
  return readInbox(inbox.doc).find((s) => s.contactName === name)!.id
}

beforeAll(async () => {
  server = await startTestServer({ env: { ADMIN_EMAIL: undefined, ADMIN_PASSWORD: undefined } })
  token = await server.loginAdmin()
  agentId = (await api<{ user: { id: string } }>(server, token, 'GET', '/api/me')).body.user.id
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.stop()
})

describe('the simulator in demo mode', () => {
  it('is mounted behind the session and lists its personas', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({ demo: true })
    expect((await fetch(`${server.url}/api/simulator/customers`)).status).toBe(401)
    const list = await api<{ customers: Array<{ persona: boolean }> }>(
      server,
      token,
      'GET',
      '/api/simulator/customers',
    )
    expect(list.status).toBe(200)
    expect(list.body.customers.filter((c) => c.persona).length).toBeGreaterThanOrEqual(3)
  })

  it('serves a fake Graph API that wants the bearer token, in Graph’s error shape', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer not-the-token' }]
    for (const headers of attempts) {
      const response = await fetch(`${graphUrl()}/${DEMO_BUSINESS.phoneNumberId}`, { headers })
      expect(response.status).toBe(401)
      expect(await response.json()).toMatchObject({ error: { type: 'OAuthException', code: 190 } })
    }
    const send = await fetch(`${graphUrl()}/${DEMO_BUSINESS.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: '5511999999999',
        type: 'text',
        text: { body: 'x' },
      }),
    })
    expect(send.status).toBe(401)
  })

  it('a customer’s message is a signed webhook the real intake accepts into the inbox', async () => {
    const id = await newCustomer('Renata Teste', '+55 11 95555-4444')
    const sent = await api<{ wamid: string; webhookStatus: number }>(
      server,
      token,
      'POST',
      `/api/simulator/customers/${id}/messages`,
      {
        type: 'text',
        text: 'Olá! Meu pedido não chegou',
      },
    )
    expect(sent.status).toBe(201)
    // 200 proves the server verified the signature with the simulator's per-process app secret.
    expect(sent.body.webhookStatus).toBe(200)
    const inbox = open('inbox')
    await inbox.synced
    await waitForDoc(inbox.doc, (doc) =>
      readInbox(doc).some(
        (s) => s.contactName === 'Renata Teste' && s.lastCustomerMessage.includes('Meu pedido'),
      ),
    )
    const thread = await api<{ entries: Entry[] }>(
      server,
      token,
      'GET',
      `/api/simulator/customers/${id}/thread`,
    )
    expect(thread.body.entries).toMatchObject([
      { wamid: sent.body.wamid, from: 'customer', delivery: 'delivered' },
    ])
  })

  it('a customer’s picture is downloaded through the two-step Graph download', async () => {
    const id = await newCustomer('Paulo Foto', '+5511944443333')
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')
    const sent = await api<{ webhookStatus: number }>(
      server,
      token,
      'POST',
      `/api/simulator/customers/${id}/messages`,
      {
        type: 'image',
        image: `data:image/png;base64,${png.toString('base64')}`,
        text: 'a foto',
      },
    )
    expect(sent.body.webhookStatus).toBe(200)
    const conversation = open(conversationDocName(await conversationOf('Paulo Foto')))
    await conversation.synced
    const image = () =>
      readMessages(conversation.doc).find((m) => m.kind === 'customer' && m.type === 'image')
    await waitForDoc(conversation.doc, () => {
      const media =
        image()?.kind === 'customer'
          ? (image() as { media?: { mediaId: string } }).media
          : undefined
      return (
        !!media &&
        (
          conversationParts(conversation.doc).media.get(media.mediaId) as
            { status?: string } | undefined
        )?.status === 'ready'
      )
    })
    const mediaId = (image() as { media: { mediaId: string } }).media.mediaId
    const bytes = await fetch(`${server.url}/api/media/${mediaId}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(bytes.status).toBe(200)
    expect(Buffer.from(await bytes.arrayBuffer()).equals(png)).toBe(true)
  })

  it('an agent’s reply reaches the customer’s phone and comes back ticked read', async () => {
    const id = await newCustomer('Clara Resposta', '+5511933332222')
    await api(server, token, 'POST', `/api/simulator/customers/${id}/messages`, {
      type: 'text',
      text: 'Oi',
    })
    const conversation = open(conversationDocName(await conversationOf('Clara Resposta')))
    await conversation.synced
    const messageId = crypto.randomUUID() as MessageId
    appendMessage(
      conversation.doc,
      {
        id: messageId,
        kind: 'agent',
        authorId: agentId as AgentId,
        text: 'Olá Clara, já vejo isso',
        createdAt: Date.now(),
      },
      'local',
    )
    // The page shows the chat (polling the thread), so the customer reads the reply.
    const reply = await eventually(async () => {
      const thread = await api<{ entries: Entry[] }>(
        server,
        token,
        'GET',
        `/api/simulator/customers/${id}/thread`,
      )
      return thread.body.entries.find(
        (e) => e.from === 'agent' && e.text === 'Olá Clara, já vejo isso' && e.status === 'read',
      )
    })
    expect(reply.wamid).toMatch(/^wamid\./)
    await waitForDoc(
      conversation.doc,
      (doc) =>
        (conversationParts(doc).receipts.get(messageId) as { status?: string } | undefined)
          ?.status === 'read',
    )
  })
})
