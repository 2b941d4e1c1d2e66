/**
 * Attachments: refused with 413/415 JSON when WhatsApp would refuse them; otherwise stored, shown
 * in the conversation as an agent message with a MediaRef, uploaded to Meta and sent by id. A
 * Chrome voice recording (WebM/Opus) goes out as an OGG/Opus voice note.
 */
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jpeg, pdf, webmOpus } from './helpers/media-samples.js'
import {
  attach,
  openConversation,
  openDoc,
  receiptIn,
  startWorld,
  type World,
} from './helpers/whatsapp-outbound.js'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.close()
})

const MB = 1024 * 1024

/** Sends only the headers of a POST announcing `length` bytes, and reads the answer. */
function headersOnly(path: string, length: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${world.server.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${world.ana.token}`,
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(length),
      },
    })
    request.on('response', (response) => {
      let body = ''
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      response.on('end', () => {
        request.destroy()
        resolve({ status: response.statusCode ?? 0, body })
      })
    })
    request.on('error', reject)
    request.flushHeaders()
  })
}

describe('attachments', () => {
  it('refuses files WhatsApp would refuse, with 413/415 JSON and a clear message', async () => {
    const { id } = await openConversation(world)
    const big = await attach(world, id, {
      bytes: jpeg(6 * MB),
      type: 'image/jpeg',
      name: 'big.jpg',
    })
    expect(big).toEqual({
      status: 413,
      body: {
        error: { code: 'file_too_large', message: 'JPEG images may be at most 5 MB on WhatsApp' },
      },
    })
    const over = await attach(world, id, {
      bytes: pdf(20 * MB + 1),
      type: 'application/pdf',
      name: 'huge.pdf',
    })
    expect(over.status).toBe(413)
    expect(over.body.error).toEqual({
      code: 'file_too_large',
      message: 'Attachments may be at most 20 MB',
    })
    // A body announced bigger than the route's limit is refused before it is read.
    const announced = await headersOnly(`/api/conversations/${id}/attachments`, 30 * MB)
    expect(announced.status).toBe(413)
    expect(JSON.parse(announced.body)).toEqual({
      error: { code: 'file_too_large', message: 'Attachments may be at most 20 MB' },
    })
    const gif = await attach(world, id, {
      bytes: new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]),
      type: 'image/gif',
      name: 'a.gif',
    })
    expect(gif.status).toBe(415)
    expect(gif.body.error?.code).toBe('unsupported_file_type')
    expect(gif.body.error?.message).toMatch(/^WhatsApp does not accept image\/gif/)
    const noId = await attach(
      world,
      id,
      { bytes: jpeg(), type: 'image/jpeg', name: 'a.jpg' },
      { clientMessageId: 'nope' },
    )
    expect(noId.status).toBe(400)
    expect(world.meta.uploads).toHaveLength(0)
  })

  it('stores an image, appends it with a MediaRef, uploads it and sends it by id with its caption', async () => {
    const { id, waId } = await openConversation(world)
    const bytes = jpeg(300 * 1024)
    const clientMessageId = crypto.randomUUID()
    const attached = await attach(
      world,
      id,
      { bytes, type: 'image/jpeg', name: 'recibo.jpg' },
      { caption: 'Seu recibo', clientMessageId },
    )
    expect(attached.status).toBe(201)
    const message = attached.body.message!
    expect(message).toMatchObject({
      id: clientMessageId,
      kind: 'agent',
      authorId: world.ana.id,
      text: 'Seu recibo',
      media: {
        mimeType: 'image/jpeg',
        fileName: 'recibo.jpg',
        caption: 'Seu recibo',
        size: bytes.length,
      },
    })
    // The stored copy is served to signed-in agents.
    const served = await fetch(`${world.server.url}/api/media/${message.media!.mediaId}`, {
      headers: { authorization: `Bearer ${world.ana.token}` },
    })
    expect(served.status).toBe(200)
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes)

    const client = await openDoc(world, id)
    const receipt = await receiptIn(client, clientMessageId, ['sent', 'failed'])
    expect(receipt.status).toBe('sent')
    const upload = world.meta.uploads.at(-1)!
    expect(upload).toMatchObject({ mimeType: 'image/jpeg', size: bytes.length })
    const sends = world.meta.sends.filter((send) => send.to === waId)
    expect(sends).toHaveLength(1)
    expect(sends[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: waId,
      type: 'image',
      image: { id: upload.id, caption: 'Seu recibo' },
    })
  })

  it('sends a Chrome voice recording (WebM/Opus) as an OGG/Opus voice note', async () => {
    const { id, waId } = await openConversation(world)
    const attached = await attach(
      world,
      id,
      { bytes: webmOpus(50).bytes, type: 'audio/webm;codecs=opus', name: 'blob' },
      { voice: 'true' },
    )
    expect(attached.status).toBe(201)
    expect(attached.body.message!.media).toMatchObject({
      mimeType: 'audio/ogg',
      voice: true,
      fileName: 'voice-note.ogg',
    })
    expect(attached.body.message!.text).toBe('Voice message')
    const client = await openDoc(world, id)
    await receiptIn(client, attached.body.message!.id, ['sent'])
    const upload = world.meta.uploads.at(-1)!
    expect(upload.mimeType).toBe('audio/ogg')
    const send = world.meta.sends.filter((s) => s.to === waId)[0]!
    expect(send.body).toMatchObject({ type: 'audio', audio: { id: upload.id, voice: true } })
  })
})
