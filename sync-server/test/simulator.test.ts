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
import { PERSONAS } from '../src/whatsapp/simulator/personas.js'
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

function open(name: string, on = server, as = token): SyncClient {
  const client = connect(on.wsUrl, name, as)
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

  it('a customer’s order and flow answer land in the conversation as such', async () => {
    const id = await newCustomer('Olga Pedido', '+5511922221111')
    const send = (message: unknown) =>
      api<{ webhookStatus: number }>(
        server,
        token,
        'POST',
        `/api/simulator/customers/${id}/messages`,
        message,
      )
    expect((await send({ type: 'order', note: 'Entrega à tarde' })).body.webhookStatus).toBe(200)
    const flow = { type: 'flow', response: { cidade: 'Campinas', horario: 'tarde' } }
    expect((await send(flow)).body.webhookStatus).toBe(200)
    const conversation = open(conversationDocName(await conversationOf('Olga Pedido')))
    await conversation.synced
    const customer = () =>
      readMessages(conversation.doc).filter((m) => m.kind === 'customer') as Array<{
        type: string
        order?: { note?: string; items: Array<{ productRetailerId: string }> }
        flow?: { fields: Array<{ name: string; value: string }> }
      }>
    await waitForDoc(conversation.doc, () => customer().length === 2)
    const [order, answer] = customer()
    expect(order).toMatchObject({
      type: 'order',
      order: { note: 'Entrega à tarde', items: [{ productRetailerId: 'CAMISETA-AZUL-M' }, {}] },
    })
    expect(answer!.flow!.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ value: 'Campinas' })]),
    )
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

describe('the demo restarted on its data directory', () => {
  let demo: TestServer | undefined
  afterAll(async () => {
    await demo?.stop()
  })

  const QUIET = 'customers wait for replies'
  const quiet = (on: TestServer) =>
    eventually(async () => (on.output().stdout.includes(QUIET) ? true : undefined), 60_000)

  /** What each persona said, as the inbox has it, conversation by conversation. */
  async function transcripts(on: TestServer, as: string): Promise<Map<string, string[]>> {
    const inbox = open('inbox', on, as)
    await inbox.synced
    const names = PERSONAS.map((persona) => persona.name)
    await waitForDoc(inbox.doc, (doc) =>
      names.every((name) => readInbox(doc).some((s) => s.contactName === name)),
    )
    const said = new Map<string, string[]>()
    for (const summary of readInbox(inbox.doc)) {
      const conversation = open(conversationDocName(summary.id), on, as)
      await conversation.synced
      const texts = readMessages(conversation.doc)
        .filter((m) => m.kind === 'customer')
        .map((m) => m.text)
      said.set(`${summary.contactName} ${summary.id}`, texts)
    }
    return said
  }

  /** Every persona message this process sent was taken by our server. */
  async function delivered(on: TestServer, as: string) {
    for (const persona of PERSONAS) {
      await eventually(async () => {
        const thread = await api<{ entries: Entry[] }>(
          on,
          as,
          'GET',
          `/api/simulator/customers/${persona.phone}/thread`,
        )
        return thread.body.entries
          .filter((e) => e.from === 'customer')
          .every((e) => e.delivery === 'delivered')
          ? true
          : undefined
      })
    }
  }

  function expectNoRepeats(said: Map<string, string[]>) {
    for (const [conversation, texts] of said) {
      expect(new Set(texts).size, conversation).toBe(texts.length)
    }
  }

  it('resumes: no customer says anything again, and nobody starts over', async () => {
    demo = await startTestServer({
      keepData: true,
      env: { ADMIN_EMAIL: undefined, ADMIN_PASSWORD: undefined, SIMULATOR_PACE: 'fast' },
    })
    let as = await demo.loginAdmin()
    // Every persona opened a story and then waits for an answer.
    await quiet(demo)
    await delivered(demo, as)
    const before = await transcripts(demo, as)
    expectNoRepeats(before)

    demo = await demo.restart()
    as = await demo.loginAdmin()
    await quiet(demo)
    const after = await transcripts(demo, as)
    expect(after).toEqual(before)

    // An answer moves Maria's story on, with lines she has not said yet.
    const maria = [...after.keys()].find((key) => key.startsWith(PERSONAS[0]!.name))!
    const conversationId = maria.split(' ').at(-1)!
    const me = (await api<{ user: { id: string } }>(demo, as, 'GET', '/api/me')).body.user.id
    const conversation = open(conversationDocName(conversationId), demo, as)
    await conversation.synced
    appendMessage(
      conversation.doc,
      {
        id: crypto.randomUUID() as MessageId,
        kind: 'agent',
        authorId: me as AgentId,
        text: 'Oi Maria, já vejo isso',
        createdAt: Date.now(),
      },
      'local',
    )
    const count = after.get(maria)!.length
    await waitForDoc(
      conversation.doc,
      (doc) => readMessages(doc).filter((m) => m.kind === 'customer').length > count,
    )
    await delivered(demo, as)
    expectNoRepeats(await transcripts(demo, as))
  }, 120_000)
})
