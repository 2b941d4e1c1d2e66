import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Hono } from 'hono'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { handleError } from '../../http/errors.js'
import { createLogger } from '../../log.js'
import { isValidSignature } from '../signature.js'
import { createSimulator, DEMO_BUSINESS, type Simulator, type SimulatorOptions } from './index.js'
import type { InboundMessage, WebhookEnvelope } from './payloads.js'
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
const textOf = (m: InboundMessage) => (m.text as { body?: string } | undefined)?.body
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

describe('across restarts', () => {
  let dir: string
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atende-sim-'))
  })
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

  const customerMessages = () => deliveries.flatMap((d) => value(d).messages ?? [])

  it('resumes where it left off: nothing already sent is sent again', async () => {
    const progressFile = path.join(dir, 'simulator.json')
    setup({ ambient: 'always', progressFile })
    await vi.advanceTimersByTimeAsync(60 * 60_000)
    const first = customerMessages()
    expect(first.length).toBe(PERSONAS.length * 2)
    await sim.stop()

    setup({ ambient: 'always', progressFile })
    await vi.advanceTimersByTimeAsync(60 * 60_000)
    // Everyone still waits for an answer: nobody writes again.
    expect(customerMessages()).toEqual([])
    // An answer moves Maria's story on, to lines she has not sent yet.
    const maria = PERSONAS[0]!.phone
    await agentSends(maria, { type: 'text', text: { body: 'Já verifico' } })
    await vi.advanceTimersByTimeAsync(60 * 60_000)
    const again = customerMessages()
    expect(again.length).toBeGreaterThan(0)
    const ids = new Set(first.map((m) => m.id))
    const bodies = new Set(first.filter((m) => m.from === maria).map(textOf))
    for (const message of again) {
      expect(ids.has(message.id)).toBe(false)
      if (textOf(message)) expect(bodies.has(textOf(message))).toBe(false)
    }
  })

  it('gives a step the same wamid when it is sent again (progress lost, seed kept)', async () => {
    const progressFile = path.join(dir, 'simulator.json')
    setup({ ambient: 'always', personas: [PERSONAS[0]!], progressFile })
    await vi.advanceTimersByTimeAsync(60_000)
    const opener = customerMessages()[0]!
    await sim.stop()
    const saved = JSON.parse(fs.readFileSync(progressFile, 'utf8')) as { personas: object }
    expect(Object.keys(saved.personas)).toEqual([PERSONAS[0]!.phone])
    fs.writeFileSync(progressFile, JSON.stringify({ ...saved, personas: {} }))

    setup({ ambient: 'always', personas: [PERSONAS[0]!], progressFile })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(customerMessages()[0]).toMatchObject({ id: opener.id, text: opener.text })
  })

  it('never repeats a line in a long demo where agents answer everyone', async () => {
    let seed = 7
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646
    setup({ ambient: 'always', random })
    for (let round = 0; round < 30; round++) {
      await vi.advanceTimersByTimeAsync(2 * 60_000)
      for (const persona of PERSONAS)
        await agentSends(persona.phone, { type: 'text', text: { body: `ok ${round}` } })
    }
    for (const persona of PERSONAS) {
      const mine = customerMessages().filter((m) => m.from === persona.phone)
      const lines = mine.map((m) => textOf(m) ?? m.type)
      expect(new Set(lines).size).toBe(lines.length)
      expect(lines).toContain(persona.openers.at(-1))
    }
  })
})

describe('demo customers’ orders, forms, edits and deletions', () => {
  const secret = () => sim.credentials(ORIGIN).appSecret
  const signed = (d: Delivery) => isValidSignature(Buffer.from(d.raw), d.signature!, secret())

  async function runUntil(type: string) {
    let seed = 11
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646
    setup({ ambient: 'always', random })
    for (let round = 0; round < 30; round++) {
      const found = deliveries.find((d) => value(d).messages?.[0]?.type === type)
      if (found) return found
      await vi.advanceTimersByTimeAsync(2 * 60_000)
      for (const persona of PERSONAS)
        await agentSends(persona.phone, { type: 'text', text: { body: `ok ${round}` } })
    }
    throw new Error(`no ${type} in a long demo`)
  }

  it('an order is a catalog cart with items, prices and the customer’s note', async () => {
    const delivery = await runUntil('order')
    expect(signed(delivery)).toBe(true)
    const message = value(delivery).messages![0]!
    const persona = PERSONAS.find((p) => p.phone === message.from)!
    expect(message.order).toEqual({
      catalog_id: persona.order!.catalogId,
      text: persona.order!.note,
      product_items: persona.order!.items.map((item) => ({
        product_retailer_id: item.id,
        quantity: item.quantity,
        item_price: item.price,
        currency: item.currency,
      })),
    })
  })

  it('a flow answer is an nfm_reply whose response_json holds the fields and a flow_token', async () => {
    const delivery = await runUntil('interactive')
    expect(signed(delivery)).toBe(true)
    const { interactive, from } = value(delivery).messages![0]! as unknown as {
      interactive: {
        type: string
        nfm_reply: { name: string; body: string; response_json: string }
      }
      from: string
    }
    const persona = PERSONAS.find((p) => p.phone === from)!
    expect(interactive.type).toBe('nfm_reply')
    expect(interactive.nfm_reply).toMatchObject({ name: 'flow', body: persona.flow!.body })
    expect(JSON.parse(interactive.nfm_reply.response_json)).toEqual({
      flow_token: 'unused',
      ...persona.flow!.response,
    })
  })

  it('an edit names the original message and carries the new text, with an id of its own', async () => {
    const delivery = await runUntil('edit')
    expect(signed(delivery)).toBe(true)
    const message = value(delivery).messages![0]!
    const persona = PERSONAS.find((p) => p.phone === message.from)!
    const opener = deliveries
      .flatMap((d) => value(d).messages ?? [])
      .find((m) => m.from === persona.phone && textOf(m) === persona.openers[persona.edit!.opener])!
    expect(message.edit).toEqual({
      original_message_id: opener.id,
      message: { type: 'text', text: { body: persona.edit!.text } },
    })
    expect(message.id).not.toBe(opener.id)
    expect(message.timestamp).toMatch(/^\d+$/)
  })

  it('a message sent to the wrong chat is deleted again with a revoke', async () => {
    const delivery = await runUntil('revoke')
    expect(signed(delivery)).toBe(true)
    const message = value(delivery).messages![0]!
    const persona = PERSONAS.find((p) => p.phone === message.from)!
    const oops = deliveries
      .flatMap((d) => value(d).messages ?? [])
      .find((m) => m.from === persona.phone && textOf(m) === persona.oops)!
    expect(message.revoke).toEqual({ original_message_id: oops.id })
  })

  it('the page’s customer can order, and edit or delete only their own messages', async () => {
    setup({ ambient: 'off' })
    const lucas = PERSONAS[3]!.phone
    const agentWamid = await agentSends(lucas, { type: 'text', text: { body: 'Oi' } })
    const order = await call('POST', `/customers/${lucas}/messages`, { type: 'order' })
    expect(order.status).toBe(201)
    const cart = value(deliveries.at(-1)!).messages![0]!.order as { product_items: unknown[] }
    expect(cart.product_items[0]).toEqual({
      product_retailer_id: 'CAMISETA-AZUL-M',
      quantity: 2,
      item_price: 59.9,
      currency: 'BRL',
    })
    const text = (await (
      await call('POST', `/customers/${lucas}/messages`, {
        type: 'text',
        text: 'erro de digitação',
      })
    ).json()) as { wamid: string }
    const edit = await call('POST', `/customers/${lucas}/messages`, {
      type: 'edit',
      target: text.wamid,
      text: 'sem erro',
    })
    expect(edit.status).toBe(201)
    expect(value(deliveries.at(-1)!).messages![0]!.edit).toMatchObject({
      original_message_id: text.wamid,
    })
    expect(sim.book.find(text.wamid)!.entry).toMatchObject({ text: 'sem erro', edited: true })
    const revoke = await call('POST', `/customers/${lucas}/messages`, {
      type: 'revoke',
      target: text.wamid,
    })
    expect(revoke.status).toBe(201)
    expect(sim.book.find(text.wamid)!.entry.revoked).toBe(true)
    for (const target of [agentWamid, text.wamid, 'wamid.nope']) {
      const refused = await call('POST', `/customers/${lucas}/messages`, { type: 'revoke', target })
      expect(refused.status).toBe(400)
    }
  })
})
