/**
 * Fuzzing `/webhooks/whatsapp` on the real server: random bytes, random JSON and Meta-shaped
 * envelopes with random, missing and wrong-typed fields, huge strings and deep nesting, under
 * random Content-Types. Unsigned or wrongly signed: 401 and nothing stored. Signed: 200 for a JSON
 * object, 400 otherwise, never a 500 or a hang. Over 4 MiB: 413. The known conversation is untouched
 * and a well-formed webhook still gets through.
 */
import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CUSTOMER, startFuzzWorld, type FuzzWorld } from './helpers/fuzz-world.js'

let world: FuzzWorld
const MiB = 1024 * 1024

beforeAll(async () => {
  world = await startFuzzWorld()
})
afterAll(async () => {
  await world?.close()
})

const sign = (body: Uint8Array, secret = world.meta.appSecret) =>
  'sha256=' + createHmac('sha256', secret).update(body).digest('hex')

const storedEvents = () =>
  world.sql<{ n: number }>('SELECT count(*) AS n FROM webhook_events')[0]!.n

interface Answer {
  status: number
  text: string
}

/** POSTs the exact bytes; a hang fails the run (10 s), never the whole file. */
async function post(
  body: Uint8Array | ReadableStream<Uint8Array>,
  headers: Record<string, string>,
): Promise<Answer> {
  const response = await fetch(`${world.server.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(10_000),
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit)
  return { status: response.status, text: await response.text() }
}

function errorCode(answer: Answer): unknown {
  try {
    return (JSON.parse(answer.text) as { error?: { code?: unknown } }).error?.code
  } catch {
    return undefined
  }
}

// ---- generators -----------------------------------------------------------------------------

const header = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map(String.fromCharCode) })
const contentType = fc.option(
  fc.oneof(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
    ),
    header,
  ),
  { nil: undefined },
)

/** Stands for a big JSON value: expanded by JSON.stringify, printed short in counterexamples. */
class Big {
  constructor(
    readonly size: number,
    readonly make: (size: number) => unknown,
    readonly label: string,
  ) {}
  toJSON(): unknown {
    return this.make(this.size)
  }
  [fc.toStringMethod](): string {
    return `${this.label}(${this.size})`
  }
}
const hugeString = fc
  .tuple(fc.integer({ min: 10_000, max: 100_000 }), fc.constantFrom('x', 'é', '😀', '\u0000', '"'))
  .map(([n, ch]) => new Big(n, (size) => ch.repeat(size), `${JSON.stringify(ch)}.repeat`))
const deep = fc.tuple(fc.integer({ min: 20, max: 2_000 }), fc.boolean()).map(
  ([depth, arrays]) =>
    new Big(
      depth,
      (size) => {
        let value: unknown = 'bottom'
        for (let i = 0; i < size; i++) value = arrays ? [value] : { a: value }
        return value
      },
      arrays ? 'nestedArrays' : 'nestedObjects',
    ),
)
const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.string() },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, '', 0, -1, 1e308, [], {}) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deep },
)
/** A field as Meta sends it most of the time, sometimes anything at all, sometimes missing. */
const field = <T>(usual: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 5, arbitrary: usual }, { weight: 2, arbitrary: junk })
const record = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) =>
  fc.record(fields, { requiredKeys: [] })

/** Never the known customer's number, so nothing can land in the known conversation. */
const phone = fc
  .oneof(fc.stringMatching(/^55\d{11}$/), fc.string())
  .filter((p) => p !== CUSTOMER.waId)
const wamid = fc.oneof(
  fc.string({ minLength: 1 }).map((s) => `wamid.${s}`),
  fc.string(),
)
const timestamp = fc.oneof(
  fc.integer({ min: 0, max: 4_000_000_000 }).map(String),
  fc.integer().map(String),
  fc.string(),
)
const messageType = fc.constantFrom(
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'system',
  'order',
  'unsupported',
  'unknown',
)
const inboundMessage = fc
  .tuple(
    messageType,
    record({
      from: field(phone),
      id: field(wamid),
      timestamp: field(timestamp),
      context: field(record({ from: field(phone), id: field(wamid) })),
    }),
    field(
      record({
        body: field(fc.string()),
        id: field(fc.string()),
        mime_type: field(fc.string()),
        sha256: field(fc.base64String()),
        caption: field(fc.string()),
        filename: field(fc.string()),
        voice: field(fc.boolean()),
        latitude: field(fc.double()),
        longitude: field(fc.double()),
        name: field(fc.string()),
        type: field(fc.constantFrom('button_reply', 'list_reply', 'nfm_reply')),
        button_reply: field(record({ id: field(fc.string()), title: field(fc.string()) })),
        list_reply: field(record({ id: field(fc.string()), title: field(fc.string()) })),
        message_id: field(wamid),
        emoji: field(fc.string()),
        payload: field(fc.string()),
        text: field(fc.string()),
      }),
    ),
  )
  .map(([type, base, body]) => ({ ...base, type, [type]: body }))
const status = record({
  id: field(wamid),
  status: field(fc.constantFrom('sent', 'delivered', 'read', 'played', 'failed', 'deleted')),
  timestamp: field(timestamp),
  recipient_id: field(phone),
  errors: field(
    fc.array(record({ code: field(fc.integer()), title: field(fc.string()) }), { maxLength: 3 }),
  ),
})
const contact = record({
  wa_id: field(phone),
  user_id: field(fc.string()),
  profile: field(record({ name: field(fc.string()) })),
})
const value = record({
  messaging_product: field(fc.constant('whatsapp')),
  metadata: field(
    record({
      display_phone_number: field(fc.string()),
      phone_number_id: field(fc.constantFrom('106540352242922', 'another-number')),
    }),
  ),
  contacts: field(fc.array(contact, { maxLength: 3 })),
  messages: field(fc.array(inboundMessage, { maxLength: 4 })),
  statuses: field(fc.array(status, { maxLength: 4 })),
  errors: field(fc.array(record({ code: field(fc.integer()) }), { maxLength: 2 })),
})
const envelope = record({
  object: field(fc.constant('whatsapp_business_account')),
  entry: field(
    fc.array(
      record({
        id: field(fc.string()),
        changes: field(
          fc.array(
            record({ field: field(fc.constantFrom('messages', 'statuses', 'account')), value }),
            { maxLength: 3 },
          ),
        ),
      }),
      { maxLength: 3 },
    ),
  ),
})

const encoder = new TextEncoder()
/** A webhook body: random bytes, random JSON, or a Meta-shaped envelope. */
const body: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 2_048 }),
  fc.jsonValue({ maxDepth: 5 }).map((json) => encoder.encode(JSON.stringify(json))),
  fc.string().map((text) => encoder.encode(text)),
  { weight: 4, arbitrary: envelope.map((json) => encoder.encode(JSON.stringify(json))) },
)

/** Bytes that are a JSON object: what the server must answer 200 for once signed. */
function isJsonObject(bytes: Uint8Array): boolean {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'))
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
  } catch {
    return false
  }
}

// ---- properties ---------------------------------------------------------------------------

describe('webhook fuzzing', () => {
  it('unsigned or wrongly signed: 401 with an error code, nothing stored', async () => {
    const before = storedEvents()
    const wrongSignature = (bytes: Uint8Array) =>
      fc.oneof(
        fc.constant(undefined),
        header,
        fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `sha256=${hex}`),
        fc.constant(sign(bytes).slice(0, -1)),
        fc.constant(sign(bytes).replace('sha256=', 'sha1=')),
        fc.constant(sign(bytes, 'not-the-app-secret')),
        fc.constant(sign(Buffer.concat([bytes, Buffer.from(' ')]))),
        fc.integer({ min: 7, max: 70 }).map((at) => {
          const good = sign(bytes)
          const flipped = good[at] === '0' ? '1' : '0'
          return good.slice(0, at) + flipped + good.slice(at + 1)
        }),
      )
    await fc.assert(
      fc.asyncProperty(
        body.chain((bytes) => fc.tuple(fc.constant(bytes), wrongSignature(bytes), contentType)),
        async ([bytes, signature, type]) => {
          const headers: Record<string, string> = {}
          if (signature !== undefined) headers['x-hub-signature-256'] = signature
          if (type !== undefined) headers['content-type'] = type
          const answer = await post(bytes, headers)
          expect(answer.status).toBe(401)
          expect(errorCode(answer)).toBe('unauthorized')
        },
      ),
      { numRuns: 250, seed: 20260601 },
    )
    expect(storedEvents()).toBe(before)
    await world.intact()
  })

  it('signed: 200 for a JSON object, 400 with an error code otherwise, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(body, contentType, async (bytes, type) => {
        const headers: Record<string, string> = { 'x-hub-signature-256': sign(bytes) }
        if (type !== undefined) headers['content-type'] = type
        const answer = await post(bytes, headers)
        if (bytes.length > 4 * MiB) {
          expect(answer.status).toBe(413)
        } else if (isJsonObject(bytes)) {
          expect(answer).toEqual({ status: 200, text: 'EVENT_RECEIVED' })
        } else {
          expect(answer.status).toBe(400)
          expect(errorCode(answer)).toBe('bad_request')
        }
      }),
      { numRuns: 300, seed: 20260602 },
    )
    // Every stored delivery is applied (or set aside with a reason), none stalls the intake.
    await settled()
    await world.intact()
  })

  it('deep nesting and huge strings inside a signed envelope: 200, the intake goes on', async () => {
    // Six nestings of up to 60 000 levels stay under 4 MiB (JSON.parse does not recurse).
    const deepEverywhere = fc.record({
      depth: fc.integer({ min: 1_000, max: 60_000 }),
      open: fc.constantFrom('[', '{"a":'),
    })
    const deepBody = ({ depth, open }: { depth: number; open: string }) => {
      const close = open === '[' ? ']' : '}'
      const nested = open.repeat(depth) + '1' + close.repeat(depth)
      return encoder.encode(
        `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":${nested},` +
          `"value":{"statuses":[{"id":"wamid.x","status":${nested}}],"errors":[{"code":${nested}}],` +
          `"messages":[{"id":"wamid.deep","from":${nested},"type":"interactive",` +
          `"interactive":{"type":"button_reply","button_reply":{"id":${nested},"title":${nested}}}}]}}]}]}`,
      )
    }
    await fc.assert(
      fc.asyncProperty(deepEverywhere, async (shape) => {
        const bytes = deepBody(shape)
        const answer = await post(bytes, { 'x-hub-signature-256': sign(bytes) })
        expect(answer.status).toBe(200)
      }),
      { numRuns: 12, seed: 20260603 },
    )
    await settled()
    await world.intact()
  })

  it('over 4 MiB: 413 with an error code, declared or streamed, signed or not', async () => {
    const before = storedEvents()
    const big = fc.record({
      size: fc.integer({ min: 4 * MiB + 1, max: 6 * MiB }),
      streamed: fc.boolean(),
      signed: fc.boolean(),
      type: contentType,
    })
    await fc.assert(
      fc.asyncProperty(big, async ({ size, streamed, signed, type }) => {
        const bytes = new Uint8Array(size).fill(0x20)
        bytes.set(encoder.encode('{"object":"whatsapp_business_account","entry":[]}'))
        const headers: Record<string, string> = {}
        if (signed) headers['x-hub-signature-256'] = sign(bytes)
        if (type !== undefined) headers['content-type'] = type
        const answer = await post(streamed ? chunked(bytes) : bytes, headers)
        expect(answer.status).toBe(413)
        expect(errorCode(answer)).toBe('payload_too_large')
      }),
      { numRuns: 10, seed: 20260604 },
    )
    expect(storedEvents()).toBe(before)
    // Exactly 4 MiB is still taken.
    const edge = new Uint8Array(4 * MiB).fill(0x20)
    edge.set(encoder.encode('{"object":"whatsapp_business_account","entry":[]}'))
    expect((await post(edge, { 'x-hub-signature-256': sign(edge) })).status).toBe(200)
    await settled()
    await world.intact()
  })
})

/** The body as a stream of 64 KiB chunks (no Content-Length: the server counts as it reads). */
function chunked(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close()
      controller.enqueue(bytes.subarray(at, (at += 64 * 1024)))
    },
  })
}

/** Waits until the intake has applied everything stored; no event may fail for the whole batch. */
async function settled(): Promise<void> {
  const started = Date.now()
  for (;;) {
    const { last } = world.sql<{ last: number | null }>(
      'SELECT max(seq) AS last FROM webhook_events',
    )[0]!
    const [mark] = world.sql<{ through: number }>(
      'SELECT applied_through AS through FROM webhook_intake',
    )
    if (last === null || (mark && mark.through >= last)) break
    if (Date.now() - started > 20_000) throw new Error('the intake did not apply the deliveries')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const reasons = world.sql<{ error: string; n: number }>(
    'SELECT error, count(*) AS n FROM webhook_events WHERE error IS NOT NULL GROUP BY error',
  )
  if (reasons.length > 0) process.stdout.write(`events set aside: ${JSON.stringify(reasons)}\n`)
  expect(
    world.errorLines().filter((line) => line.includes('applying webhook events failed')),
  ).toEqual([])
}
