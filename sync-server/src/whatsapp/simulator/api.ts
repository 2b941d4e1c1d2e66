/**
 * `/api/simulator` (any signed-in agent, demo only): the page where a person plays the customer.
 *   GET  /customers                    the fake customers, with their last message
 *   POST /customers {name, phone}      a new one (409 when the number is taken)
 *   POST /customers/:id/messages       {type:'text'|'reply'|'image'|'location'|'reaction'|
 *                                       'order'|'flow'|'edit'|'revoke', …}
 *                                      → 201 {wamid, webhookStatus}: sent as a signed webhook
 *   GET  /customers/:id/thread         the customer's view, agent replies with their ticks
 *   GET  /media/:id                    a picture in a thread (customer's or agent's)
 * Any call here also wakes the personas' ambient chatter (someone is watching the demo).
 */
import { Hono } from 'hono'
import * as v from 'valibot'
import { ApiError } from '../../http/errors.js'
import type { AuthEnv } from '../../http/middleware/auth.js'
import { readJson } from '../../http/validate.js'
import type { CustomerBook } from './customers.js'
import { normalisePhone } from './customers.js'
import { SimulatorError, type CustomerMessage, type Engine } from './engine.js'
import type { FakeGraph } from './fake-graph.js'

const IMAGE_TYPES = ['image/jpeg', 'image/png'] as const
const IMAGE_LIMIT = 5 * 1024 * 1024

const Text = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(4096))
const Wamid = v.pipe(v.string(), v.minLength(1), v.maxLength(200))
const Coordinate = (max: number) => v.pipe(v.number(), v.minValue(-max), v.maxValue(max))

const NewCustomer = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(100)),
  phone: v.pipe(v.string(), v.trim(), v.maxLength(32)),
})

const NewMessage = v.variant('type', [
  v.object({ type: v.literal('text'), text: Text, replyTo: v.optional(Wamid) }),
  v.object({ type: v.literal('reply'), text: Text, replyTo: Wamid }),
  v.object({
    type: v.literal('image'),
    /** A data URL (`data:image/jpeg;base64,…`), or base64 with `mimeType`. */
    image: v.pipe(v.string(), v.minLength(1)),
    mimeType: v.optional(v.picklist(IMAGE_TYPES)),
    text: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(1024))),
    replyTo: v.optional(Wamid),
  }),
  v.object({
    type: v.literal('location'),
    latitude: Coordinate(90),
    longitude: Coordinate(180),
    name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200))),
    address: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(300))),
    replyTo: v.optional(Wamid),
  }),
  v.object({
    type: v.literal('reaction'),
    /** Empty removes the reaction. */
    emoji: v.pipe(v.string(), v.maxLength(16)),
    target: Wamid,
  }),
  v.object({
    type: v.literal('order'),
    /** Default: a demo cart from the demo catalog. */
    items: v.optional(
      v.pipe(
        v.array(
          v.object({
            id: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
            quantity: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(999)),
            price: v.pipe(v.number(), v.minValue(0), v.maxValue(1e9)),
            currency: v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, 'must be a currency code')),
          }),
        ),
        v.minLength(1),
        v.maxLength(30),
      ),
    ),
    note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(1024))),
  }),
  v.object({
    type: v.literal('flow'),
    body: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100))),
    response: v.record(
      v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
      v.pipe(v.string(), v.maxLength(1024)),
    ),
  }),
  v.object({ type: v.literal('edit'), target: Wamid, text: Text }),
  v.object({ type: v.literal('revoke'), target: Wamid }),
])

/** What the page's customer orders when the call names no items. */
export const DEMO_CART: Extract<CustomerMessage, { type: 'order' }>['items'] = [
  { id: 'CAMISETA-AZUL-M', quantity: 2, price: 59.9, currency: 'BRL' },
  { id: 'BONE-PRETO', quantity: 1, price: 39.9, currency: 'BRL' },
]
const DEMO_CATALOG = '1428559901234567'

function decodeImage(image: string, given?: string): { bytes: Uint8Array; mimeType: string } {
  const match = /^data:([\w/+.-]+);base64,(.*)$/s.exec(image)
  const mimeType = match ? match[1]! : given
  if (!mimeType || !(IMAGE_TYPES as readonly string[]).includes(mimeType)) {
    throw new ApiError(400, 'invalid_body', 'image: must be a JPEG or PNG')
  }
  const bytes = new Uint8Array(Buffer.from(match ? match[2]! : image, 'base64'))
  if (bytes.byteLength === 0) throw new ApiError(400, 'invalid_body', 'image: is empty')
  if (bytes.byteLength > IMAGE_LIMIT)
    throw new ApiError(413, 'payload_too_large', 'image: over 5 MB')
  return { bytes, mimeType }
}

function toCustomerMessage(body: v.InferOutput<typeof NewMessage>): CustomerMessage {
  switch (body.type) {
    case 'text':
    case 'reply':
      return { type: 'text', text: body.text, replyTo: body.replyTo }
    case 'image':
      return {
        type: 'image',
        ...decodeImage(body.image, body.mimeType),
        caption: body.text || undefined,
        replyTo: body.replyTo,
      }
    case 'location':
      return { ...body, type: 'location', name: body.name || undefined }
    case 'reaction':
      return { type: 'reaction', target: body.target, emoji: body.emoji }
    case 'order':
      return {
        type: 'order',
        catalogId: DEMO_CATALOG,
        items: body.items ?? DEMO_CART,
        note: body.note || undefined,
      }
    case 'flow':
      return { type: 'flow', body: body.body || 'Sent', response: body.response }
    case 'edit':
    case 'revoke':
      return body
  }
}

export function simulatorApi(deps: { book: CustomerBook; engine: Engine; graph: FakeGraph }) {
  const { book, engine, graph } = deps
  const app = new Hono<AuthEnv>()
  const customerOr404 = (id: string) => {
    const customer = book.get(id)
    if (!customer) throw new ApiError(404, 'customer_not_found', 'No such simulated customer')
    return customer
  }

  app.use('*', async (_c, next) => {
    engine.startAmbient()
    await next()
  })

  app.get('/customers', (c) => {
    const customers = book.list().map((customer) => {
      const last = book.thread(customer.id).at(-1)
      return {
        ...customer,
        last: last ? { from: last.from, type: last.type, text: last.text, at: last.at } : null,
      }
    })
    return c.json({ customers })
  })

  app.post('/customers', async (c) => {
    const body = await readJson(c, NewCustomer)
    const phone = normalisePhone(body.phone)
    if (!phone || phone.startsWith('0')) {
      throw new ApiError(400, 'invalid_body', 'phone: must be a number like +5511987654321')
    }
    const customer = book.add(body.name, phone)
    if (!customer) throw new ApiError(409, 'customer_exists', 'A customer with this number exists')
    return c.json({ customer }, 201)
  })

  app.post('/customers/:id/messages', async (c) => {
    const customer = customerOr404(c.req.param('id'))
    const message = toCustomerMessage(await readJson(c, NewMessage))
    try {
      const sent = await engine.say(customer.id, message)
      return c.json(sent, 201)
    } catch (err) {
      if (!(err instanceof SimulatorError)) throw err
      if (err.code === 'unknown_message') throw new ApiError(400, 'unknown_message', err.message)
      if (err.code === 'not_started') throw new ApiError(503, 'simulator_not_started', err.message)
      throw new ApiError(404, 'customer_not_found', err.message)
    }
  })

  app.get('/customers/:id/thread', (c) => {
    const customer = customerOr404(c.req.param('id'))
    engine.viewed(customer.id)
    return c.json({ customer, entries: book.thread(customer.id) })
  })

  app.get('/media/:id', (c) => {
    const media = graph.media(c.req.param('id'))
    if (!media) throw new ApiError(404, 'not_found', 'No such media')
    return c.body(media.bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': media.mimeType,
      'cache-control': 'private, max-age=3600',
    })
  })

  return app
}
