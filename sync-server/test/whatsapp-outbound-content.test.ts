/**
 * An attachment's content must match its type (issue 18): a web page named x.pdf is refused with
 * 415 `content_mismatch` and its reason, and nothing is stored, appended, uploaded or sent; real
 * documents, text and audio of every kind go out.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { DOCX, PPTX, readMessages, XLSX } from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  aac,
  amr,
  HTML_PAGE,
  minimalPdf,
  mp3,
  oggOpus,
  SVG_IMAGE,
  text,
} from './helpers/media-samples.js'
import { ole, ooxml } from './helpers/office-samples.js'
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

const storedFiles = () =>
  fs.readdir(path.join(world.server.dataDir, 'media')).catch(() => [] as string[])

describe('attachment content', () => {
  it('refuses a web page declared as a PDF or a picture: 415 with the reason, nothing kept or sent', async () => {
    const { id, waId } = await openConversation(world)
    const filesBefore = await storedFiles()
    const uploadsBefore = world.meta.uploads.length
    const refused = await attach(world, id, {
      bytes: HTML_PAGE,
      type: 'application/pdf',
      name: 'x.pdf',
    })
    expect(refused.status).toBe(415)
    expect(refused.body.error).toEqual({
      code: 'content_mismatch',
      reason: 'markup',
      message:
        'The file is not a valid application/pdf file: its content does not match its type ' +
        '(it is a web page or markup (HTML, SVG or XML))',
    })
    const svg = await attach(world, id, { bytes: SVG_IMAGE, type: 'image/png', name: 'logo.png' })
    expect(svg.body.error).toMatchObject({ code: 'content_mismatch', reason: 'markup' })
    const sheet = await attach(world, id, { bytes: ooxml('excel'), type: DOCX, name: 'a.docx' })
    expect(sheet.body.error).toMatchObject({ code: 'content_mismatch', reason: 'other_office' })

    const client = await openDoc(world, id)
    expect(readMessages(client.doc).filter((m) => m.kind === 'agent')).toEqual([])
    expect(await storedFiles()).toEqual(filesBefore)
    expect(world.meta.uploads).toHaveLength(uploadsBefore)
    expect(world.meta.sends.filter((send) => send.to === waId)).toEqual([])
  })

  it('sends real PDF, Office, text and audio files, each as its own type', async () => {
    const { id, waId } = await openConversation(world)
    const client = await openDoc(world, id)
    const files = [
      { bytes: minimalPdf(), type: 'application/pdf', name: 'boleto.pdf', as: 'document' },
      { bytes: ooxml('word'), type: DOCX, name: 'contrato.docx', as: 'document' },
      { bytes: ooxml('excel'), type: XLSX, name: 'pedido.xlsx', as: 'document' },
      { bytes: ooxml('powerpoint'), type: PPTX, name: 'catalogo.pptx', as: 'document' },
      { bytes: ole('WordDocument'), type: 'application/msword', name: 'old.doc', as: 'document' },
      { bytes: text('Pedido 1042\n'), type: 'text/plain', name: 'pedido.txt', as: 'document' },
      { bytes: oggOpus(), type: 'audio/ogg', name: 'audio.ogg', as: 'audio' },
      { bytes: mp3(), type: 'audio/mpeg', name: 'audio.mp3', as: 'audio' },
      { bytes: aac(), type: 'audio/aac', name: 'audio.aac', as: 'audio' },
      { bytes: amr(), type: 'audio/amr', name: 'audio.amr', as: 'audio' },
    ]
    for (const file of files) {
      const attached = await attach(world, id, file)
      expect([file.name, attached.status]).toEqual([file.name, 201])
      expect(attached.body.message!.media!.mimeType).toBe(file.type)
      await receiptIn(client, attached.body.message!.id, ['sent'])
    }
    const sent = world.meta.sends.filter((send) => send.to === waId)
    expect(sent.map((send) => send.type)).toEqual(files.map((file) => file.as))
    expect(world.meta.uploads.slice(-files.length).map((upload) => upload.mimeType)).toEqual(
      files.map((file) => file.type),
    )
  })
})
