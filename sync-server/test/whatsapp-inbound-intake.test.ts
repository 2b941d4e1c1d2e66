/**
 * Webhook verification and intake against the real server: signatures, limits, durability across
 * kill -9, idempotent redelivery, ordering by WhatsApp time, and the live inbox.
 */
import fs from 'node:fs'
import { INBOX_DOC, readInbox, readMessages, type CustomerMessage } from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, waitForDoc } from './helpers/clients.js'
import { newWamid, textMessage } from './helpers/fake-meta.js'
import { startTestServer } from './helpers/server.js'
import { eventually, startInboundWorld, type InboundWorld } from './whatsapp-inbound-helpers.js'

let world: InboundWorld
const count = () => world.sql<{ n: number }>('SELECT count(*) AS n FROM webhook_events')[0]!.n

beforeAll(async () => {
  world = await startInboundWorld()
})
afterAll(async () => {
  await world?.close()
})

describe('GET /webhooks/whatsapp (verification)', () => {
  it('answers the bare challenge as text/plain for the right token, 403 otherwise', async () => {
    const { server, meta } = world
    const verify = (token: string, mode = 'subscribe') =>
      server.request(
        `/webhooks/whatsapp?hub.mode=${mode}&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=987654321`,
      )
    const ok = await verify(meta.verifyToken)
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await ok.text()).toBe('987654321')
    expect((await verify('wrong-token')).status).toBe(403)
    expect((await verify(meta.verifyToken, 'unsubscribe')).status).toBe(403)
  })
  // No channel at all (403 for every handshake) is covered by the unit test: the server always
  // has one, real or the demo simulator's.
})

describe('POST /webhooks/whatsapp (intake)', () => {
  const waId = '5511970000001'
  const payload = () =>
    world.meta.messages({ waId, name: 'Rejected' }, textMessage(waId, 'never stored'))

  it('unsigned or forged: 401 and nothing stored', async () => {
    const before = count()
    expect(
      (await world.meta.webhook(world.server.url, payload(), { signature: null })).status,
    ).toBe(401)
    expect(
      (
        await world.meta.webhook(world.server.url, payload(), {
          signature: 'sha256=' + 'ab'.repeat(32),
        })
      ).status,
    ).toBe(401)
    expect(
      (await world.meta.webhook(world.server.url, payload(), { signature: 'sha1=deadbeef' }))
        .status,
    ).toBe(401)
    expect(count()).toBe(before)
    expect(world.sql('SELECT id FROM contacts WHERE wa_id = ?', waId)).toEqual([])
  })

  it('signed but malformed JSON: 400, nothing stored', async () => {
    const before = count()
    const response = await world.meta.webhook(world.server.url, null, {
      rawBody: '{"object":"whatsapp_business_account","entry":[',
    })
    expect(response.status).toBe(400)
    expect(count()).toBe(before)
  })

  it('bodies over 4 MiB: 413 before parsing, nothing stored', async () => {
    const before = count()
    const huge = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [],
      pad: 'x'.repeat(5 * 1024 * 1024),
    })
    const response = await world.meta.webhook(world.server.url, null, { rawBody: huge })
    expect(response.status).toBe(413)
    expect(count()).toBe(before)
  })

  it('a customer message reaches a synced agent client, measured from the 200', async () => {
    const inbox = await world.open(INBOX_DOC)
    const text = `hello ${Date.now()}`
    let seenAt = 0
    const seen = waitForDoc(inbox.doc, (doc) =>
      readInbox(doc).some((card) => card.lastMessage === text),
    ).then(() => {
      seenAt = performance.now()
    })
    const sent = performance.now()
    const response = await world.meta.webhook(
      world.server.url,
      world.meta.messages(
        { waId: '5511970000002', name: 'Live' },
        textMessage('5511970000002', text),
      ),
    )
    const answeredAt = performance.now()
    expect(response.status).toBe(200)
    await seen
    process.stdout.write(
      `inbox update seen ${(seenAt - answeredAt).toFixed(1)} ms after the 200 (${(answeredAt - sent).toFixed(1)} ms to the 200)\n`,
    )
    const card = await world.card(inbox.doc, '+5511970000002')
    expect(card).toMatchObject({
      contactName: 'Live',
      lastMessage: text,
      lastCustomerMessage: text,
      unread: 1,
    })
    expect(card.lastCustomerMessageAt).toBe(card.lastMessageAt)
  })

  it('redelivery of the same wamid changes nothing', async () => {
    const inbox = await world.open(INBOX_DOC)
    const message = textMessage('5511970000003', 'only once')
    const delivery = world.meta.messages({ waId: '5511970000003', name: 'Twice' }, message)
    for (let i = 0; i < 3; i++)
      expect((await world.meta.webhook(world.server.url, delivery)).status).toBe(200)
    // Redelivered again together with a new message, which alone counts.
    const next = world.meta.messages(
      { waId: '5511970000003', name: 'Twice' },
      message,
      textMessage('5511970000003', 'second'),
    )
    expect((await world.meta.webhook(world.server.url, next)).status).toBe(200)
    const card = await world.card(inbox.doc, '+5511970000003', (c) => c.lastMessage === 'second')
    expect(card.unread).toBe(2)
    const messages = await world.messages(card.id, (m) => m.length >= 2)
    expect(messages.map((m) => m.text)).toEqual(['only once', 'second'])
  })

  it('orders by the WhatsApp timestamp, not by arrival', async () => {
    const inbox = await world.open(INBOX_DOC)
    const waId = '5511970000004'
    const base = Math.floor(Date.now() / 1000) - 600
    const order = [3, 1, 4, 0, 2]
    for (const k of order) {
      const response = await world.meta.webhook(
        world.server.url,
        world.meta.messages(
          { waId, name: 'Late' },
          textMessage(waId, `m${k}`, { timestamp: base + k * 10 }),
        ),
      )
      expect(response.status).toBe(200)
    }
    const card = await world.card(inbox.doc, `+${waId}`, (c) => c.unread === 5)
    expect(card.lastMessage).toBe('m4')
    expect(card.lastCustomerMessageAt).toBe((base + 40) * 1000)
    const messages = (await world.messages(card.id, (m) => m.length === 5)) as CustomerMessage[]
    expect(messages.map((m) => m.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4'])
    expect(messages.map((m) => m.createdAt)).toEqual(
      [0, 1, 2, 3, 4].map((k) => (base + k * 10) * 1000),
    )
  })

  it('a contact known only by user_id is found again, and the profile name stays current', async () => {
    const inbox = await world.open(INBOX_DOC)
    const userId = 'BR.1A2B3C4D5E'
    const sender = { waId: '', userId, name: 'Username One' }
    const first = { ...textMessage(userId, 'via username'), from: userId }
    expect(
      (await world.meta.webhook(world.server.url, world.meta.messages(sender, first))).status,
    ).toBe(200)
    const renamed = { ...textMessage(userId, 'again'), from: userId }
    expect(
      (
        await world.meta.webhook(
          world.server.url,
          world.meta.messages({ ...sender, name: 'Renamed' }, renamed),
        )
      ).status,
    ).toBe(200)
    await waitForDoc(inbox.doc, (doc) =>
      readInbox(doc).some((c) => c.contactName === 'Renamed' && c.unread === 2),
    )
    expect(
      world.sql<{ name: string }>('SELECT name FROM contacts WHERE user_id = ?', userId),
    ).toEqual([{ name: 'Renamed' }])
  })
})

describe('durability', () => {
  it('kill -9 right after the 200: the message is in the documents after a restart', async () => {
    const local = await startInboundWorld({ keepData: true })
    try {
      const waId = '5511970000005'
      const wamids = Array.from({ length: 40 }, () => newWamid(waId))
      const responses = await Promise.all(
        wamids.map((id, i) =>
          local.meta.webhook(
            local.server.url,
            local.meta.messages({ waId, name: 'Crash' }, textMessage(waId, `c${i}`, { id })),
          ),
        ),
      )
      expect(responses.map((r) => r.status)).toEqual(wamids.map(() => 200))
      await local.server.kill9()
      const again = await startTestServer({
        dataDir: local.server.dataDir,
        keepData: true,
        env: local.meta.env,
      })
      try {
        const token = await again.loginAdmin()
        const inbox = connect(again.wsUrl, INBOX_DOC, token)
        await waitForDoc(inbox.doc, (doc) =>
          readInbox(doc).some((c) => c.phone === `+${waId}` && c.unread === 40),
        )
        const card = readInbox(inbox.doc).find((c) => c.phone === `+${waId}`)!
        inbox.destroy()
        const conversation = connect(again.wsUrl, `conversation:${card.id}`, token)
        await conversation.synced
        const got = readMessages(conversation.doc) as CustomerMessage[]
        expect(new Set(got.map((m) => m.waMessageId))).toEqual(new Set(wamids))
        const replayed = /"msg":"webhook events replayed","events":(\d+)/.exec(
          again.output().stdout,
        )
        process.stdout.write(
          `kill -9 after the last 200: ${replayed?.[1] ?? 0} of 40 events replayed at start-up\n`,
        )
        conversation.destroy()
        const pending = await eventually(() => {
          const rows = local.sql<{ n: number }>(`SELECT count(*) AS n FROM webhook_events
             WHERE seq > (SELECT applied_through FROM webhook_intake) OR error IS NOT NULL`)
          return rows[0]!.n === 0 ? rows[0]!.n : undefined
        })
        expect(pending).toBe(0)
      } finally {
        await again.stop()
      }
    } finally {
      await local.close()
      fs.rmSync(local.server.dataDir, { recursive: true, force: true })
    }
  })
})
