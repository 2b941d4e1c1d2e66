import { Hono } from 'hono'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { handleError } from '../../http/errors.js'
import { createLogger } from '../../log.js'
import { isValidSignature } from '../signature.js'
import { createSimulator, DEMO_BUSINESS, type Simulator, type SimulatorOptions } from './index.js'
import type { WebhookEnvelope } from './payloads.js'
import { PERSONAS, type Persona } from './personas.js'

const ORIGIN = 'http://127.0.0.1:4321'
const silent = createLogger('test', { write: () => {} })

interface Delivery {
  url: string
  raw: string
  signature: string | null
  payload: WebhookEnvelope
}

let deliveries: Delivery[]
let answer: () => number
let sim: Simulator
let api: Hono

function setup(options: Partial<SimulatorOptions> = {}) {
  deliveries = []
  answer = () => 200
  const fakeFetch = (async (url: string, init: RequestInit) => {
    const raw = init.body as string
    const headers = init.headers as Record<string, string>
    deliveries.push({
      url,
      raw,
      signature: headers['x-hub-signature-256'] ?? null,
      payload: JSON.parse(raw) as WebhookEnvelope,
    })
    return new Response('', { status: answer() })
  }) as unknown as typeof fetch
  sim = createSimulator({ log: silent, fetch: fakeFetch, random: () => 0, ...options })
  api = new Hono()
  api.onError(handleError(silent))
  api.route('/', sim.apiRoutes as unknown as Hono)
  sim.start(ORIGIN)
}

const call = (method: string, path: string, json?: unknown) =>
  api.request(path, {
    method,
    headers: json === undefined ? {} : { 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  })

const value = (d: Delivery) => d.payload.entry[0]!.changes[0]!.value
const statuses = () =>
  deliveries.flatMap((d) => value(d).statuses ?? []).map((s) => `${s.status}:${s.id}`)

async function agentSends(to: string, body: Record<string, unknown>) {
  const { accessToken, phoneNumberId } = sim.credentials(ORIGIN)
  const response = await sim.graphRoutes.request(`/v25.0/${phoneNumberId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      ...body,
    }),
  })
  expect(response.status).toBe(200)
  return ((await response.json()) as { messages: [{ id: string }] }).messages[0].id
}

beforeEach(() => vi.useFakeTimers())
afterEach(async () => {
  await sim?.stop()
  vi.useRealTimers()
})

describe('credentials', () => {
  it('are fresh per simulator and point at the origin', () => {
    setup()
    const a = sim.credentials(ORIGIN)
    const b = createSimulator({ log: silent }).credentials(ORIGIN)
    expect(a.apiBase).toBe(`${ORIGIN}/simulator/graph/v25.0`)
    expect(a.phoneNumberId).toBe(DEMO_BUSINESS.phoneNumberId)
    expect(a.accessToken).not.toBe(b.accessToken)
    expect(a.appSecret).not.toBe(b.appSecret)
    expect(a.verifyToken).not.toBe(b.verifyToken)
  })
})

describe('a customer writes', () => {
  beforeEach(() => setup({ ambient: 'off' }))

  it('as a webhook signed over the exact bytes, in Meta’s envelope', async () => {
    const maria = PERSONAS[0]!
    const response = await call('POST', `/customers/${maria.phone}/messages`, {
      type: 'text',
      text: 'Olá, não recebi meu pedido',
    })
    expect(response.status).toBe(201)
    const { wamid, webhookStatus } = (await response.json()) as {
      wamid: string
      webhookStatus: number
    }
    expect(webhookStatus).toBe(200)
    expect(deliveries).toHaveLength(1)
    const [delivery] = deliveries
    expect(delivery!.url).toBe(`${ORIGIN}/webhooks/whatsapp`)
    expect(delivery!.raw).toContain('n\\u00e3o')
    const secret = sim.credentials(ORIGIN).appSecret
    expect(isValidSignature(Buffer.from(delivery!.raw), delivery!.signature!, secret)).toBe(true)
    expect(delivery!.payload).toMatchObject({
      object: 'whatsapp_business_account',
      entry: [{ id: DEMO_BUSINESS.wabaId, changes: [{ field: 'messages' }] }],
    })
    expect(value(delivery!)).toMatchObject({
      messaging_product: 'whatsapp',
      metadata: { phone_number_id: DEMO_BUSINESS.phoneNumberId },
      contacts: [{ profile: { name: maria.name }, wa_id: maria.phone }],
      messages: [
        {
          from: maria.phone,
          id: wamid,
          type: 'text',
          text: { body: 'Olá, não recebi meu pedido' },
        },
      ],
    })
    expect(value(delivery!).messages![0]!.timestamp).toMatch(/^\d{10}$/)
    const thread = sim.book.thread(maria.phone)
    expect(thread).toMatchObject([{ wamid, from: 'customer', delivery: 'delivered' }])
  })

  it('quotes with context.from: the business number for an agent message', async () => {
    const emily = PERSONAS[2]!.phone
    const agentWamid = await agentSends(emily, { type: 'text', text: { body: 'Sure!' } })
    await call('POST', `/customers/${emily}/messages`, {
      type: 'reply',
      text: 'Thanks',
      replyTo: agentWamid,
    })
    const message = value(deliveries.at(-1)!).messages![0]!
    expect(message.context).toEqual({ from: DEMO_BUSINESS.displayPhoneNumber, id: agentWamid })
    const unknown = await call('POST', `/customers/${emily}/messages`, {
      type: 'reply',
      text: 'x',
      replyTo: 'wamid.nope',
    })
    expect(unknown.status).toBe(400)
  })

  it('sends an image through the fake Graph’s media, with its base64 sha256', async () => {
    const png = Buffer.from('not really a png')
    const response = await call('POST', `/customers/${PERSONAS[1]!.phone}/messages`, {
      type: 'image',
      image: `data:image/png;base64,${png.toString('base64')}`,
      text: 'comprovante',
    })
    expect(response.status).toBe(201)
    const image = value(deliveries[0]!).messages![0]!.image as {
      id: string
      sha256: string
      caption: string
    }
    const stored = sim.graph.media(image.id)!
    expect(Buffer.from(stored.bytes).toString()).toBe('not really a png')
    expect(image).toMatchObject({
      mime_type: 'image/png',
      sha256: stored.sha256,
      caption: 'comprovante',
    })
    expect((await call('GET', `/media/${image.id}`)).status).toBe(200)
  })

  it('reacts to an agent message, and removes the reaction without emoji', async () => {
    const joao = PERSONAS[1]!.phone
    const agentWamid = await agentSends(joao, { type: 'text', text: { body: 'Pronto' } })
    await call('POST', `/customers/${joao}/messages`, {
      type: 'reaction',
      target: agentWamid,
      emoji: '👍',
    })
    expect(value(deliveries.at(-1)!).messages![0]!.reaction).toEqual({
      message_id: agentWamid,
      emoji: '👍',
    })
    expect(sim.book.find(agentWamid)!.entry.reactions.customer).toBe('👍')
    await call('POST', `/customers/${joao}/messages`, {
      type: 'reaction',
      target: agentWamid,
      emoji: '',
    })
    expect(value(deliveries.at(-1)!).messages![0]!.reaction).toEqual({ message_id: agentWamid })
    expect(sim.book.find(agentWamid)!.entry.reactions.customer).toBeUndefined()
  })

  it('retries a webhook our server did not accept, like Meta', async () => {
    let status = 404
    answer = () => status
    const lucas = PERSONAS[3]!.phone
    const response = await call('POST', `/customers/${lucas}/messages`, {
      type: 'text',
      text: 'oi',
    })
    expect(await response.json()).toMatchObject({ webhookStatus: 404 })
    expect(sim.book.thread(lucas)[0]!.delivery).toBe('pending')
    status = 200
    await vi.advanceTimersByTimeAsync(1000)
    expect(deliveries).toHaveLength(2)
    expect(deliveries[1]!.raw).toBe(deliveries[0]!.raw)
    expect(sim.book.thread(lucas)[0]!.delivery).toBe('delivered')
  })
})

describe('an agent replies', () => {
  it('a persona’s phone reports sent, delivered and read, and the persona may follow up', async () => {
    setup({ ambient: 'off' })
    const maria = PERSONAS[0]!.phone
    const wamid = await agentSends(maria, { type: 'text', text: { body: 'Vou verificar' } })
    await vi.advanceTimersByTimeAsync(10_000)
    expect(statuses()).toEqual([`sent:${wamid}`, `delivered:${wamid}`, `read:${wamid}`])
    expect(value(deliveries[0]!).statuses![0]).toMatchObject({
      recipient_id: maria,
      timestamp: expect.stringMatching(/^\d+$/),
    })
    expect(sim.book.find(wamid)!.entry).toMatchObject({
      from: 'agent',
      text: 'Vou verificar',
      status: 'read',
    })
    await vi.advanceTimersByTimeAsync(15_000)
    const followUp = deliveries.flatMap((d) => value(d).messages ?? [])
    expect(followUp).toHaveLength(1)
    expect(followUp[0]!.text).toEqual({ body: PERSONAS[0]!.followUps[0] })
  })

  it('a new number becomes a customer who reads when the page shows the chat', async () => {
    setup({ ambient: 'off' })
    const wamid = await agentSends('+5511900001111', { type: 'text', text: { body: 'Olá' } })
    await vi.advanceTimersByTimeAsync(10_000)
    expect(statuses()).toEqual([`sent:${wamid}`, `delivered:${wamid}`])
    expect(sim.book.get('5511900001111')).toMatchObject({ persona: false })
    const thread = await call('GET', '/customers/5511900001111/thread')
    expect(thread.status).toBe(200)
    await vi.advanceTimersByTimeAsync(0)
    expect(statuses()).toEqual([`sent:${wamid}`, `delivered:${wamid}`, `read:${wamid}`])
  })

  it('a mark-read from our server shows as read on the customer’s side', async () => {
    setup({ ambient: 'off' })
    const lucas = PERSONAS[3]!.phone
    const sent = (await (
      await call('POST', `/customers/${lucas}/messages`, { type: 'text', text: 'oi' })
    ).json()) as { wamid: string }
    const { accessToken, phoneNumberId } = sim.credentials(ORIGIN)
    await sim.graphRoutes.request(`/v25.0/${phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: sent.wamid,
      }),
    })
    expect(sim.book.thread(lucas)[0]!.readByAgent).toBe(true)
  })
})

describe('ambient chatter', () => {
  it('waits for the page in auto mode, then stays bounded while nobody answers', async () => {
    setup()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(deliveries).toHaveLength(0)
    expect((await call('GET', '/customers')).status).toBe(200)
    await vi.advanceTimersByTimeAsync(60 * 60_000)
    const messages = deliveries.flatMap((d) => value(d).messages ?? [])
    expect(messages.length).toBe(PERSONAS.length * 2)
    for (const persona of PERSONAS) {
      expect(messages.filter((m) => m.from === persona.phone)).toHaveLength(2)
    }
  })

  it('never starts when off', async () => {
    setup({ ambient: 'off' })
    await call('GET', '/customers')
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(deliveries).toHaveLength(0)
  })
})

describe('the page API', () => {
  beforeEach(() => setup({ ambient: 'off' }))

  it('creates customers, refusing a bad or taken number', async () => {
    const created = await call('POST', '/customers', {
      name: 'Paula',
      phone: '+55 (11) 91234-5678',
    })
    expect(created.status).toBe(201)
    expect(await created.json()).toMatchObject({ customer: { id: '5511912345678', name: 'Paula' } })
    expect(
      (await call('POST', '/customers', { name: 'Again', phone: '5511912345678' })).status,
    ).toBe(409)
    expect((await call('POST', '/customers', { name: 'Bad', phone: '12ab' })).status).toBe(400)
    const list = (await (await call('GET', '/customers')).json()) as {
      customers: Array<{ id: string }>
    }
    expect(list.customers.map((c) => c.id)).toContain('5511912345678')
    expect((await call('GET', '/customers/999/thread')).status).toBe(404)
  })
})

describe('a persona’s story', () => {
  const ana: Persona = {
    name: 'Ana Teste',
    phone: '5511900000009',
    openers: ['Oi, primeira história', 'Oi, segunda história'],
    nudges: ['Alguém?'],
    followUps: ['Obrigada!', 'Certo.'],
    photo: { caption: 'a foto', colour: [10, 20, 30] },
  }
  const sentBy = (phone: string) =>
    deliveries.flatMap((d) => value(d).messages ?? []).filter((m) => m.from === phone)

  it('sends its photo once, however often agents answer', async () => {
    setup({ ambient: 'always', personas: [ana] })
    for (let reply = 0; reply < 4; reply++) {
      await vi.advanceTimersByTimeAsync(3 * 60_000)
      await agentSends(ana.phone, { type: 'text', text: { body: `Resposta ${reply}` } })
    }
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    const photos = sentBy(ana.phone).filter((m) => m.type === 'image')
    expect(photos).toHaveLength(1)
    expect(photos[0]!.image).toMatchObject({ caption: 'a foto', mime_type: 'image/png' })
  })
})
