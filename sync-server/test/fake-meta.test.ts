import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGraphClient, GraphError, type WhatsAppChannel } from '../src/whatsapp/graph.js'
import { isValidSignature } from '../src/whatsapp/signature.js'
import { HTML_PAGE, png } from './helpers/media-samples.js'
import { startFakeMeta, textMessage, metaJson, type FakeMeta } from './helpers/fake-meta.js'

let meta: FakeMeta
let client: WhatsAppChannel

beforeAll(async () => {
  meta = await startFakeMeta()
  client = createGraphClient({ config: meta, timeoutMs: 2000 })
})
afterAll(() => meta?.close())

describe('the Graph client against the fake', () => {
  it('sends a text and a reply; the fake records both with their wamid', async () => {
    const first = await client.send('5511987654321', {
      type: 'text',
      text: { body: 'Olá, Maria!' },
    })
    expect(first.wamid).toMatch(/^wamid\.[A-Za-z0-9+/=]+$/)
    const second = await client.send(
      '5511987654321',
      { type: 'text', text: { body: 'Reply' } },
      first.wamid,
    )
    const sends = await meta.waitForSends(2)
    expect(sends.map((s) => s.wamid)).toEqual([first.wamid, second.wamid])
    expect(sends[1]).toMatchObject({
      to: '5511987654321',
      waId: '5511987654321',
      type: 'text',
      replyTo: first.wamid,
    })
    expect(sends[0]!.body).toMatchObject({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
    })
  })

  it('refuses what Meta refuses: a text over 4096 characters (code 100, final)', async () => {
    const err = await client
      .send('5511987654321', { type: 'text', text: { body: 'x'.repeat(4097) } })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GraphError)
    expect(err).toMatchObject({ code: 100, httpStatus: 400, retryable: false })
    expect((err as GraphError).message).toMatch(/4096/)
  })

  it('marks read', async () => {
    await client.markRead('wamid.customer1')
    expect(meta.reads.at(-1)).toMatchObject({ messageId: 'wamid.customer1', typing: false })
  })

  it('uploads media and sends it by id; an unknown media id is refused', async () => {
    const bytes = png(64) as Uint8Array<ArrayBuffer>
    const { id } = await client.uploadMedia(
      new Blob([bytes], { type: 'image/png' }),
      'image/png',
      'a.png',
    )
    expect(meta.uploads.at(-1)).toMatchObject({
      id,
      mimeType: 'image/png',
      fileName: 'a.png',
      size: 64,
    })
    await client.send('5511987654321', { type: 'image', image: { id, caption: 'here' } })
    const err = await client
      .send('5511987654321', { type: 'image', image: { id: '999' } })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 100 })
  })

  it('refuses an upload whose content does not match its type, as Meta does', async () => {
    const before = meta.uploads.length
    const err = await client
      .uploadMedia(new Blob([HTML_PAGE as Uint8Array<ArrayBuffer>]), 'application/pdf', 'x.pdf')
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GraphError)
    expect(err).toMatchObject({ code: 131053, retryable: false })
    expect((err as GraphError).message).toMatch(/does not match application\/pdf \(markup\)/)
    expect(meta.uploads).toHaveLength(before)
  })

  it('downloads a customer’s media in two steps; sha256 matches', async () => {
    const bytes = new TextEncoder().encode('a photo')
    const id = meta.addMedia(bytes, 'image/jpeg')
    const { info, bytes: got } = await client.downloadMedia(id)
    expect(Buffer.from(got).toString()).toBe('a photo')
    expect(info).toMatchObject({ id, mime_type: 'image/jpeg', file_size: bytes.length })
    expect(info.sha256).toBe(createHash('sha256').update(bytes).digest('hex'))
    expect(meta.media(id)!.sha256).toBe(createHash('sha256').update(bytes).digest('base64'))
    // The download URL needs the bearer too.
    expect((await fetch(info.url)).status).toBe(401)
  })

  it('fails a download on demand, then serves it', async () => {
    const id = meta.addMedia(new Uint8Array([7]), 'audio/ogg')
    meta.failNext(131000, { on: 'download' })
    await expect(client.downloadMedia(id)).rejects.toMatchObject({ httpStatus: 500 })
    await expect(client.downloadMedia(id)).resolves.toMatchObject({ info: { id } })
  })

  it('maps failNext errors: retryable and final codes, then succeeds again', async () => {
    meta.failNext(130429, { times: 2 })
    for (let i = 0; i < 2; i++) {
      const err = await client
        .send('5511987654321', { type: 'text', text: { body: 'hi' } })
        .catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 130429, retryable: true })
    }
    meta.failNext(131047)
    const final = await client
      .send('5511987654321', { type: 'text', text: { body: 'hi' } })
      .catch((e: unknown) => e)
    expect(final).toMatchObject({ code: 131047, retryable: false })
    expect((final as GraphError).readable).toMatch(/24-hour/)
    await expect(
      client.send('5511987654321', { type: 'text', text: { body: 'hi' } }),
    ).resolves.toHaveProperty('wamid')
  })

  it('a hung send has an unknown outcome, yet the message went out', async () => {
    const before = meta.sends.length
    meta.hangNext()
    const quick = createGraphClient({ config: meta, timeoutMs: 300 })
    const err = await quick
      .send('5511987654321', { type: 'text', text: { body: 'lost' } })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 0, outcomeUnknown: true, retryable: true })
    expect(meta.sends.length).toBe(before + 1)
    expect(meta.sends.at(-1)!.hung).toBe(true)
  })

  it('answers 401 (code 190) without the bearer, and check() works with it', async () => {
    const response = await fetch(`${meta.apiBase}/${meta.phoneNumberId}`)
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: { type: 'OAuthException', code: 190 } })
    const wrong = createGraphClient({ config: { ...meta, accessToken: 'nope' } })
    await expect(wrong.check()).rejects.toMatchObject({ code: 190, httpStatus: 401 })
    await expect(client.check()).resolves.toMatchObject({
      displayPhoneNumber: meta.business.displayPhoneNumber,
    })
  })
})

describe('webhook delivery', () => {
  it('signs the exact bytes, escaping non-ASCII like Meta', async () => {
    let received: { body: Uint8Array; signature: string | undefined } | null = null
    const { serve } = await import('@hono/node-server')
    const server = serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: async (request) => {
        received = {
          body: new Uint8Array(await request.arrayBuffer()),
          signature: request.headers.get('x-hub-signature-256') ?? undefined,
        }
        return new Response('ok')
      },
    })
    await new Promise((resolve) => server.once('listening', resolve))
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    const payload = meta.messages(
      { waId: '5511987654321', name: 'João' },
      textMessage('5511987654321', 'Olá 😀'),
    )
    expect((await meta.webhook(url, payload)).status).toBe(200)
    const got = received as unknown as { body: Uint8Array; signature: string }
    expect(Buffer.from(got.body).toString()).toBe(metaJson(payload))
    expect(Buffer.from(got.body).toString()).toContain('Jo\\u00e3o')
    expect(isValidSignature(got.body, got.signature, meta.appSecret)).toBe(true)
    await meta.webhook(url, payload, { signature: null })
    expect((received as unknown as { signature?: string }).signature).toBeUndefined()
    server.close()
  })
})
