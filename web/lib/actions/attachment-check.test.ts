import { DOCX } from '@atende/shared'
import { afterEach, describe, expect, it } from 'vitest'
import { i18n } from '$lib/i18n'
import { HTML_PAGE, png, text } from '../../../sync-server/test/helpers/media-samples'
import { ooxml } from '../../../sync-server/test/helpers/office-samples'
import { mismatchMessage, precheckAttachment } from './attachment-check'

const file = (bytes: Uint8Array, name: string, type: string) =>
  new File([bytes as Uint8Array<ArrayBuffer>], name, { type })

afterEach(() => i18n.set('en'))

describe('precheckAttachment', () => {
  it('refuses a web page named x.pdf, and a spreadsheet named .docx, saying why', async () => {
    expect(await precheckAttachment(file(HTML_PAGE, 'x.pdf', 'application/pdf'))).toEqual({
      type: 'application/pdf',
      reason: 'markup',
    })
    expect(await precheckAttachment(file(ooxml('excel'), 'a.docx', DOCX))).toEqual({
      type: DOCX,
      reason: 'other_office',
    })
  })

  it('lets through genuine files, pictures the server sends as what they are, and vague types', async () => {
    expect(await precheckAttachment(file(ooxml('word'), 'a.docx', DOCX))).toBeNull()
    expect(await precheckAttachment(file(text('hello\n'), 'a.txt', 'text/plain'))).toBeNull()
    expect(await precheckAttachment(file(png(), 'photo.jpg', 'image/jpeg'))).toBeNull()
    expect(await precheckAttachment(file(HTML_PAGE, 'x', ''))).toBeNull()
  })
})

describe('mismatchMessage', () => {
  it('words the reason in English and in Portuguese', () => {
    expect(mismatchMessage('application/pdf', 'markup')).toBe(
      'Not sent: this file is not a real PDF file, its content does not match its type ' +
        '(it is a web page or markup, such as HTML or SVG).',
    )
    i18n.set('pt-BR')
    expect(mismatchMessage('application/pdf', 'markup')).toBe(
      'Não enviado: este arquivo não é um PDF de verdade, o conteúdo não corresponde ao tipo ' +
        '(é uma página web ou marcação, como HTML ou SVG).',
    )
    expect(mismatchMessage('text/plain', 'something new')).toMatch(/não começa como/)
  })
})
