/**
 * A customer's file whose content does not match its declared type (issue 18): an "image/jpeg"
 * that is really a web page lands as a message, kept, marked mismatch in the conversation's media
 * entry, and is served only as an octet-stream download, never inline.
 */
import { conversationParts, INBOX_DOC, type CustomerMessage, type MediaEntry } from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitForDoc } from './helpers/clients.js'
import { imageMessage } from './helpers/fake-meta.js'
import { HTML_PAGE, jpeg } from './helpers/media-samples.js'
import { startInboundWorld, type InboundWorld } from './whatsapp-inbound-helpers.js'

let world: InboundWorld
beforeAll(async () => {
  world = await startInboundWorld()
})
afterAll(async () => {
  await world?.close()
})

/** A customer sends `bytes` as a photo declared `image/jpeg`; resolves with its ready entry. */
async function customerPhoto(waId: string, bytes: Uint8Array) {
  const id = world.meta.addMedia(bytes, 'image/jpeg')
  const file = { id, mime_type: 'image/jpeg', sha256: world.meta.media(id)!.sha256 }
  await world.meta.webhook(
    world.server.url,
    world.meta.messages({ waId, name: 'Photo' }, imageMessage(waId, file)),
  )
  const inbox = await world.open(INBOX_DOC)
  const card = await world.card(inbox.doc, `+${waId}`)
  const [message] = (await world.messages(card.id, (m) => m.length === 1)) as CustomerMessage[]
  const mediaId = message!.media!.mediaId
  const client = await world.open(`conversation:${card.id}`)
  const entry = () => conversationParts(client.doc).media.get(mediaId) as MediaEntry | undefined
  await waitForDoc(client.doc, () => entry()?.status === 'ready')
  const served = await world.server.request(`/api/media/${mediaId}`, { token: world.token })
  return { message: message!, entry: entry()!, served }
}

describe('customer media whose content does not match its type', () => {
  it('keeps a web page sent as image/jpeg, marked mismatch, served only as a download', async () => {
    const { message, entry, served } = await customerPhoto('5511960000001', HTML_PAGE)
    expect(message).toMatchObject({ type: 'image', media: { mimeType: 'image/jpeg' } })
    expect(entry).toEqual({ status: 'ready', mismatch: 'markup' })
    expect(
      world.sql<{ mismatch: string }>(
        'SELECT mismatch FROM customer_media WHERE id = ?',
        message.media!.mediaId,
      ),
    ).toEqual([{ mismatch: 'markup' }])
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('application/octet-stream')
    expect(served.headers.get('content-disposition')).toMatch(/^attachment;/)
    expect(served.headers.get('x-content-type-options')).toBe('nosniff')
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(HTML_PAGE)
  })

  it('shows a genuine photo inline, with no mismatch', async () => {
    const { entry, served } = await customerPhoto('5511960000002', jpeg(1024))
    expect(entry).toEqual({ status: 'ready' })
    expect(served.headers.get('content-type')).toBe('image/jpeg')
    expect(served.headers.get('content-disposition')).toMatch(/^inline;/)
  })
})
