/**
 * `/webhooks/whatsapp`: Meta's verification handshake (GET) and signed deliveries (POST).
 *
 * POST, in this order: a body over 4 MiB is refused with 413 before anything is parsed (declared
 * Content-Length first, then the bytes actually streamed); the `X-Hub-Signature-256` HMAC is
 * checked over the exact bytes with the app secret in force (read from the channel holder on every
 * request), constant-time: 401 and nothing stored when missing or wrong; a signed body that is not
 * a JSON object is a 400; then the delivery is committed to SQLite and only then answered 200.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { Hono, type Context } from 'hono'
import { ApiError } from '../../http/errors.js'
import type { Logger } from '../../log.js'
import type { ChannelHolder } from '../channel.js'
import { isValidSignature } from '../signature.js'
import type { Intake } from './intake.js'

/** Largest delivery accepted (Meta's payloads reach about 3 MB). */
export const MAX_WEBHOOK_BYTES = 4 * 1024 * 1024

export interface WebhookRouteDeps {
  channel: ChannelHolder
  intake: Pick<Intake, 'accept'>
  log: Logger
}

/** Constant-time string equality (hashing first makes the lengths equal too). */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b) && given.length === expected.length
}

class BodyTooLarge extends Error {
  readonly code = 'payload_too_large'
}

// No `Connection: close`: the server drains the unread rest (up to 64 MiB), so the sender can
// finish writing and read the 413 instead of a broken pipe.
const tooLarge = () =>
  new ApiError(413, 'payload_too_large', 'The webhook body is larger than 4 MiB')

export function webhookRoutes(deps: WebhookRouteDeps): Hono {
  const { channel, intake, log } = deps
  const app = new Hono()

  app.get('/', (c) => {
    const expected = channel.config?.verifyToken
    const token = c.req.query('hub.verify_token')
    if (
      c.req.query('hub.mode') !== 'subscribe' ||
      !expected ||
      token === undefined ||
      !safeEqual(token, expected)
    ) {
      log.warn('webhook verification refused', { configured: Boolean(expected) })
      throw new ApiError(403, 'forbidden', 'Webhook verification failed')
    }
    c.header('X-Content-Type-Options', 'nosniff')
    return c.text(c.req.query('hub.challenge') ?? '', 200)
  })

  app.post('/', async (c) => {
    const incoming = nodeRequest(c)
    // Straight from Node's parsed headers when served by @hono/node-server (a hot path).
    const header = (name: string) =>
      incoming ? (incoming.headers[name] as string | undefined) : c.req.header(name)
    const declared = Number(header('content-length') ?? 0)
    if (declared > MAX_WEBHOOK_BYTES) throw tooLarge()
    let body: Buffer
    try {
      body = incoming
        ? await readIncoming(incoming, MAX_WEBHOOK_BYTES)
        : await readStream(c, MAX_WEBHOOK_BYTES)
    } catch (err) {
      if (err instanceof BodyTooLarge) throw tooLarge()
      log.debug('webhook body unreadable', { err })
      throw new ApiError(400, 'bad_request', 'The webhook body could not be read')
    }
    const secret = channel.config?.appSecret
    if (!secret || !isValidSignature(body, header('x-hub-signature-256'), secret)) {
      log.warn('webhook signature refused', { configured: Boolean(secret), bytes: body.length })
      throw new ApiError(401, 'unauthorized', 'Missing or wrong X-Hub-Signature-256')
    }
    let payload: unknown
    try {
      payload = JSON.parse(body.toString('utf8'))
    } catch {
      payload = undefined
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new ApiError(400, 'bad_request', 'The webhook body is not a JSON object')
    }
    await intake.accept(body, payload)
    return c.text('EVENT_RECEIVED', 200)
  })

  return app
}

/** The Node request under @hono/node-server, unread (else null: `app.request` in unit tests). */
function nodeRequest(c: Context): IncomingMessage | null {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  return incoming && typeof incoming.on === 'function' && !incoming.readableDidRead
    ? incoming
    : null
}

/** The raw request bytes from the web Request, counting as they stream, stopping past `limit`. */
async function readStream(c: Context, limit: number): Promise<Buffer> {
  const stream = c.req.raw.body
  if (!stream) return Buffer.alloc(0)
  const reader = stream.getReader()
  const chunks: Buffer[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return Buffer.concat(chunks, size)
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      throw new BodyTooLarge()
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength))
  }
}

/** The same from Node's request directly (no web-stream detour). */
function readIncoming(incoming: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const done = (finish: () => void) => {
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', onError)
      incoming.off('close', onClose)
      finish()
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        incoming.pause()
        done(() => reject(new BodyTooLarge()))
      } else chunks.push(chunk)
    }
    const onEnd = () =>
      done(() => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)))
    const onError = (err: Error) => done(() => reject(err))
    const onClose = () => {
      if (!incoming.complete) done(() => reject(new Error('the request was aborted')))
    }
    incoming.on('data', onData)
    incoming.on('end', onEnd)
    incoming.on('error', onError)
    incoming.on('close', onClose)
  })
}
