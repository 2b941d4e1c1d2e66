/**
 * Every inbound type lands in the documented CustomerMessage fields; media is downloaded from the
 * fake Graph API with the bearer token, checked, stored and served to signed-in agents only.
 */
import { createHash, randomBytes } from 'node:crypto'
import { conversationParts, INBOX_DOC, type CustomerMessage } from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitForDoc } from './helpers/clients.js'
import {
  audioMessage,
  buttonMessage,
  buttonReplyMessage,
  contactsMessage,
  documentMessage,
  imageMessage,
  listReplyMessage,
  locationMessage,
  reactionMessage,
  sha256Base64,
  stickerMessage,
  textMessage,
  unsupportedMessage,
  videoMessage,
} from './helpers/fake-meta.js'
import { startInboundWorld, type InboundWorld } from './whatsapp-inbound-helpers.js'

let world: InboundWorld

beforeAll(async () => {
  world = await startInboundWorld()
})
afterAll(async () => {
  await world?.close()
})

function media(bytes: Uint8Array, mimeType: string, fileName?: string) {
  const id = world.meta.addMedia(bytes, mimeType, fileName)
  return { id, mime_type: mimeType, sha256: world.meta.media(id)!.sha256 }
}

async function mediaStatus(conversationId: string, mediaId: string, status: string) {
  const client = await world.open(`conversation:${conversationId}`)
  await waitForDoc(
    client.doc,
    (doc) =>
      (conversationParts(doc).media.get(mediaId) as { status?: string } | undefined)?.status ===
      status,
  )
  return conversationParts(client.doc).media.get(mediaId) as { status: string; error?: string }
}

describe('inbound message types', () => {
  const waId = '5511980000001'
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2044)])
  const pdf = Buffer.from('%PDF-1.4 fake document')
  let conversationId: string
  let messages: CustomerMessage[]

  beforeAll(async () => {
    const image = media(jpeg, 'image/jpeg')
    const bundle = world.meta.messages(
      { waId, name: 'Every Type' },
      textMessage(waId, 'plain text', { timestamp: 1_800_000_000 }),
      imageMessage(waId, { ...image, caption: 'a photo' }, { timestamp: 1_800_000_001 }),
      videoMessage(waId, media(randomBytes(512), 'video/mp4'), { timestamp: 1_800_000_002 }),
      audioMessage(
        waId,
        { ...media(randomBytes(256), 'audio/ogg; codecs=opus'), voice: true },
        { timestamp: 1_800_000_003 },
      ),
      documentMessage(
        waId,
        { ...media(pdf, 'application/pdf', 'boleto.pdf'), filename: 'boleto.pdf' },
        { timestamp: 1_800_000_004 },
      ),
      stickerMessage(
        waId,
        { ...media(randomBytes(128), 'image/webp'), animated: false },
        { timestamp: 1_800_000_005 },
      ),
      locationMessage(
        waId,
        {
          latitude: -23.56,
          longitude: -46.65,
          name: 'Loja Paulista',
          address: 'Av. Paulista, 1000',
        },
        { timestamp: 1_800_000_006 },
      ),
      contactsMessage(
        waId,
        [
          {
            name: { formatted_name: 'João Silva' },
            phones: [{ phone: '+55 11 5555-0000', type: 'CELL' }],
          },
        ],
        { timestamp: 1_800_000_007 },
      ),
      buttonReplyMessage(waId, { id: 'confirm', title: 'Confirmar' }, { timestamp: 1_800_000_008 }),
      listReplyMessage(waId, { id: 'slot-2', title: 'Terça 10h' }, { timestamp: 1_800_000_009 }),
      buttonMessage(
        waId,
        { payload: 'STOP_PROMOS', text: 'Parar promoções' },
        { timestamp: 1_800_000_010 },
      ),
      unsupportedMessage(waId, { timestamp: 1_800_000_011 }),
    )
    expect((await world.meta.webhook(world.server.url, bundle)).status).toBe(200)
    const inbox = await world.open(INBOX_DOC)
    const card = await world.card(inbox.doc, `+${waId}`, (c) => c.unread === 12)
    conversationId = card.id
    messages = (await world.messages(conversationId, (m) => m.length === 12)) as CustomerMessage[]
  })

  it('maps each type to its documented fields', () => {
    const byType = (type: string) => messages.filter((m) => m.type === type)
    expect(messages.every((m) => m.kind === 'customer' && m.waMessageId.startsWith('wamid.'))).toBe(
      true,
    )
    expect(byType('text')[0]).toMatchObject({ text: 'plain text', createdAt: 1_800_000_000_000 })
    expect(byType('image')[0]).toMatchObject({
      text: 'a photo',
      media: { mimeType: 'image/jpeg', caption: 'a photo' },
    })
    expect(byType('video')[0]).toMatchObject({ text: '', media: { mimeType: 'video/mp4' } })
    expect(byType('audio')[0]).toMatchObject({
      text: '',
      media: { voice: true, mimeType: 'audio/ogg; codecs=opus' },
    })
    expect(byType('document')[0]).toMatchObject({
      text: '',
      media: { fileName: 'boleto.pdf', mimeType: 'application/pdf' },
    })
    expect(byType('sticker')[0]).toMatchObject({
      text: '',
      media: { mimeType: 'image/webp' },
    })
    expect(byType('location')[0]).toMatchObject({
      location: {
        latitude: -23.56,
        longitude: -46.65,
        name: 'Loja Paulista',
        address: 'Av. Paulista, 1000',
      },
    })
    expect(byType('contacts')[0]).toMatchObject({
      contacts: [{ name: 'João Silva', phones: ['+55 11 5555-0000'] }],
    })
    expect(byType('interactive').map((m) => m.choice)).toEqual([
      { id: 'confirm', title: 'Confirmar' },
      { id: 'slot-2', title: 'Terça 10h' },
    ])
    expect(byType('button')[0]).toMatchObject({
      text: 'Parar promoções',
      choice: { id: 'STOP_PROMOS', title: 'Parar promoções' },
    })
    expect(byType('unsupported')[0]).toMatchObject({
      originalType: 'unsupported',
      text: '',
    })
  })

  it('downloads every media file at once and serves it to signed-in agents only', async () => {
    const withMedia = messages.filter((m) => m.media)
    expect(withMedia).toHaveLength(5)
    for (const message of withMedia)
      await mediaStatus(conversationId, message.media!.mediaId, 'ready')
    // Two-step download with the bearer token, once per file.
    expect(
      world.meta.calls.filter((call) => call.kind === 'download' && call.status === 200),
    ).toHaveLength(5)

    const image = messages.find((m) => m.type === 'image')!
    const served = await world.server.request(`/api/media/${image.media!.mediaId}`, {
      token: world.token,
    })
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/jpeg')
    expect(served.headers.get('x-content-type-options')).toBe('nosniff')
    expect(served.headers.get('content-disposition')).toMatch(/^inline/)
    expect(Buffer.from(await served.arrayBuffer())).toEqual(jpeg)

    const doc = messages.find((m) => m.type === 'document')!
    const download = await world.server.request(`/api/media/${doc.media!.mediaId}`, {
      token: world.token,
    })
    expect(download.headers.get('content-type')).toBe('application/pdf')
    expect(download.headers.get('content-disposition')).toMatch(
      /^attachment; filename="boleto.pdf"/,
    )
    expect(Buffer.from(await download.arrayBuffer())).toEqual(pdf)

    const ranged = await world.server.request(`/api/media/${image.media!.mediaId}`, {
      token: world.token,
      headers: { range: 'bytes=0-9' },
    })
    expect(ranged.status).toBe(206)
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(jpeg.subarray(0, 10))

    expect((await world.server.request(`/api/media/${image.media!.mediaId}`)).status).toBe(401)
    expect(
      (await world.server.request(`/api/media/${crypto.randomUUID()}`, { token: world.token }))
        .status,
    ).toBe(404)
  })

  it('a reaction attaches to the message it reacts to, and its removal deletes it', async () => {
    const target = messages[0]!
    const contactId = target.authorId
    const key = `${target.id}|${contactId}`
    const client = await world.open(`conversation:${conversationId}`)
    const reactions = () => conversationParts(client.doc).reactions
    await world.meta.webhook(
      world.server.url,
      world.meta.messages(
        { waId, name: 'Every Type' },
        reactionMessage(waId, target.waMessageId, '👍'),
      ),
    )
    await waitForDoc(client.doc, () => reactions().has(key))
    expect(reactions().get(key)).toMatchObject({ messageId: target.id, emoji: '👍', by: contactId })
    await world.meta.webhook(
      world.server.url,
      world.meta.messages(
        { waId, name: 'Every Type' },
        reactionMessage(waId, target.waMessageId, undefined, {
          timestamp: Math.floor(Date.now() / 1000) + 5,
        }),
      ),
    )
    await waitForDoc(client.doc, () => !reactions().has(key))
  })

  it('a reply quotes the message it answers (replyTo = our id)', async () => {
    const quoted = messages[1]!
    await world.meta.webhook(
      world.server.url,
      world.meta.messages(
        { waId, name: 'Every Type' },
        textMessage(waId, 'about that photo', { replyTo: { from: waId, id: quoted.waMessageId } }),
      ),
    )
    const all = (await world.messages(conversationId, (m) =>
      m.some((x) => x.text === 'about that photo'),
    )) as CustomerMessage[]
    expect(all.find((m) => m.text === 'about that photo')!.replyTo).toBe(quoted.id)
  })
})

describe('agent media', () => {
  it('an agent attachment is served by the same route', async () => {
    const waId = '5511980000009'
    await world.meta.webhook(
      world.server.url,
      world.meta.messages({ waId, name: 'Attachment' }, textMessage(waId, 'send me the menu')),
    )
    const inbox = await world.open(INBOX_DOC)
    const card = await world.card(inbox.doc, `+${waId}`)
    const png = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), randomBytes(64)])
    const form = new FormData()
    form.set('file', new Blob([png], { type: 'image/png' }), 'menu.png')
    form.set('clientMessageId', crypto.randomUUID())
    const uploaded = await fetch(`${world.server.url}/api/conversations/${card.id}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.token}`, origin: world.server.url },
      body: form,
    })
    expect(uploaded.status).toBeLessThan(300)
    const { message } = (await uploaded.json()) as { message: { media: { mediaId: string } } }
    const served = await world.server.request(`/api/media/${message.media.mediaId}`, {
      token: world.token,
    })
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await served.arrayBuffer())).toEqual(png)
  })
})

describe('media failures', () => {
  it('a sha256 mismatch marks the file failed, and a retry fetches it again', async () => {
    const waId = '5511980000002'
    const good = randomBytes(1024)
    const corrupt = Buffer.from(good)
    corrupt[0] = corrupt[0]! ^ 0xff
    // Meta serves corrupted bytes at first; the webhook carries the good file's sha256.
    const id = world.meta.addMedia(corrupt, 'image/png')
    const sha256 = sha256Base64(good)
    await world.meta.webhook(
      world.server.url,
      world.meta.messages(
        { waId, name: 'Corrupt' },
        imageMessage(waId, { id, mime_type: 'image/png', sha256 }),
      ),
    )
    const inbox = await world.open(INBOX_DOC)
    const card = await world.card(inbox.doc, `+${waId}`)
    const [message] = (await world.messages(card.id, (m) => m.length === 1)) as CustomerMessage[]
    const failed = await mediaStatus(card.id, message!.media!.mediaId, 'failed')
    expect(failed.error).toMatch(/sha256/)
    expect(
      (await world.server.request(`/api/media/${message!.media!.mediaId}`, { token: world.token }))
        .status,
    ).toBe(409)
    world.meta.media(id)!.bytes = good
    await mediaStatus(card.id, message!.media!.mediaId, 'ready')
    const served = await world.server.request(`/api/media/${message!.media!.mediaId}`, {
      token: world.token,
    })
    expect(
      createHash('sha256')
        .update(Buffer.from(await served.arrayBuffer()))
        .digest('base64'),
    ).toBe(sha256)
  })

  it('a Graph error on the first step is retried with backoff without losing the message', async () => {
    const waId = '5511980000003'
    world.meta.failNext(131000, { on: 'media', times: 2 })
    const file = media(randomBytes(300), 'image/jpeg')
    await world.meta.webhook(
      world.server.url,
      world.meta.messages(
        { waId, name: 'Flaky' },
        imageMessage(waId, { ...file, caption: 'retry me' }),
      ),
    )
    const inbox = await world.open(INBOX_DOC)
    const card = await world.card(inbox.doc, `+${waId}`)
    expect(card.lastMessage).toBe('retry me')
    const [message] = (await world.messages(card.id, (m) => m.length === 1)) as CustomerMessage[]
    await mediaStatus(card.id, message!.media!.mediaId, 'ready')
    const attempts = world.sql<{ attempts: number }>(
      'SELECT attempts FROM customer_media WHERE id = ?',
      message!.media!.mediaId,
    )
    expect(attempts).toEqual([{ attempts: 3 }])
  })
})
