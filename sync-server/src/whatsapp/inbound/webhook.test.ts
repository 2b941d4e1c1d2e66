import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { WhatsAppConfig } from '../../config.js'
import { handleError } from '../../http/errors.js'
import { createLogger } from '../../log.js'
import { createChannelHolder } from '../channel.js'
import { signWebhook } from '../signature.js'
import { MAX_WEBHOOK_BYTES, safeEqual, webhookRoutes } from './webhook.js'

const quiet = createLogger('test', { write: () => {} })
const config: WhatsAppConfig = {
  apiBase: 'http://127.0.0.1:9/v25.0',
  accessToken: 'token',
  phoneNumberId: '1',
  appSecret: 'app-secret',
  verifyToken: 'verify-me',
}

function setup(withChannel = true) {
  const channel = createChannelHolder()
  if (withChannel) channel.set(config)
  const accepted: Buffer[] = []
  const app = new Hono()
  app.onError(handleError(quiet))
  app.route(
    '/webhooks/whatsapp',
    webhookRoutes({
      channel,
      log: quiet,
      intake: { accept: async (body) => void accepted.push(body) },
    }),
  )
  const post = (
    body: string | Uint8Array<ArrayBuffer>,
    signature: string | null = signWebhook(body, channel.config?.appSecret ?? 'x'),
  ) =>
    app.request('/webhooks/whatsapp', {
      method: 'POST',
      body,
      headers: signature === null ? {} : { 'x-hub-signature-256': signature },
    })
  return { app, channel, accepted, post }
}

describe('GET /webhooks/whatsapp', () => {
  it('answers the bare challenge when the mode and token match, 403 otherwise', async () => {
    const { app } = setup()
    const ok = await app.request(
      '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444',
    )
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await ok.text()).toBe('1158201444')
    expect(
      (
        await app.request(
          '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1',
        )
      ).status,
    ).toBe(403)
    expect(
      (
        await app.request(
          '/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=1',
        )
      ).status,
    ).toBe(403)
    expect((await app.request('/webhooks/whatsapp?hub.challenge=1')).status).toBe(403)
  })

  it('refuses every handshake while no channel is configured', async () => {
    const { app } = setup(false)
    expect(
      (await app.request('/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=&hub.challenge=1'))
        .status,
    ).toBe(403)
  })
})

describe('POST /webhooks/whatsapp', () => {
  const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [] })

  it('accepts a signed JSON object, storing the exact bytes', async () => {
    const { post, accepted } = setup()
    const raw = '{"object":"whatsapp_business_account","entry":[],"x":"\\u00e9"}'
    const response = await post(raw)
    expect(response.status).toBe(200)
    expect(accepted.map((b) => b.toString())).toEqual([raw])
  })

  it('401 and nothing stored when unsigned, forged, or signed with another secret', async () => {
    const { post, accepted } = setup()
    expect((await post(body, null)).status).toBe(401)
    expect((await post(body, 'sha256=' + '0'.repeat(64))).status).toBe(401)
    expect((await post(body, signWebhook(body, 'other-secret'))).status).toBe(401)
    expect((await post(body, signWebhook(body + ' ', 'app-secret'))).status).toBe(401)
    expect(accepted).toEqual([])
  })

  it('reads the app secret on every request', async () => {
    const { post, channel, accepted } = setup()
    channel.set({ ...config, appSecret: 'rotated' })
    expect((await post(body, signWebhook(body, 'app-secret'))).status).toBe(401)
    expect((await post(body, signWebhook(body, 'rotated'))).status).toBe(200)
    expect(accepted).toHaveLength(1)
  })

  it('400 for signed bodies that are not a JSON object', async () => {
    const { post, accepted } = setup()
    for (const bad of ['{"object":', '[1,2]', '42', '']) {
      const response = await post(bad)
      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'bad_request',
      )
    }
    expect(accepted).toEqual([])
  })

  it('413 past 4 MiB, counting streamed bytes', async () => {
    const { post, accepted } = setup()
    const big = new Uint8Array(MAX_WEBHOOK_BYTES + 1).fill(32)
    expect((await post(big)).status).toBe(413)
    expect((await post(new Uint8Array(MAX_WEBHOOK_BYTES).fill(32))).status).toBe(400)
    expect(accepted).toEqual([])
  })
})

describe('safeEqual', () => {
  it('compares whole strings', () => {
    expect(safeEqual('abc', 'abc')).toBe(true)
    expect(safeEqual('abc', 'abd')).toBe(false)
    expect(safeEqual('ab', 'abc')).toBe(false)
  })
})
