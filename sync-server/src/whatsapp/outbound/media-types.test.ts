import { describe, expect, it } from 'vitest'
import { DOCX, XLSX } from '@atende/shared'
import {
  HTML_PAGE,
  jpeg,
  minimalPdf,
  mp4,
  oggOpus,
  pdf,
  png,
  SVG_IMAGE,
  webmOpus,
  webp,
} from '../../../test/helpers/media-samples.js'
import { ole, ooxml } from '../../../test/helpers/office-samples.js'
import { classifyAttachment, normalizeMime } from './media-types.js'

const MB = 1024 * 1024

describe('classifyAttachment', () => {
  it('accepts each WhatsApp type within its limit, the bytes deciding the type', () => {
    expect(classifyAttachment('image/jpeg', jpeg(), false)).toMatchObject({
      ok: true,
      mimeType: 'image/jpeg',
      kind: 'image',
    })
    expect(classifyAttachment('application/octet-stream', png(), false)).toMatchObject({
      ok: true,
      mimeType: 'image/png',
    })
    expect(classifyAttachment('image/webp', webp(), false)).toMatchObject({
      ok: true,
      kind: 'sticker',
      animated: false,
    })
    expect(classifyAttachment('video/mp4', mp4(), false)).toMatchObject({ ok: true, kind: 'video' })
    expect(classifyAttachment('audio/mp4', mp4(), true)).toMatchObject({
      ok: true,
      mimeType: 'audio/mp4',
    })
    expect(classifyAttachment('', mp4(4096, 'M4A '), false)).toMatchObject({
      ok: true,
      mimeType: 'audio/mp4',
    })
    expect(classifyAttachment('video/3gpp', mp4(4096, '3gp5'), false)).toMatchObject({
      ok: true,
      mimeType: 'video/3gpp',
    })
    expect(classifyAttachment('audio/ogg; codecs=opus', oggOpus(), true)).toMatchObject({
      ok: true,
      mimeType: 'audio/ogg',
    })
    expect(classifyAttachment('application/pdf', pdf(), false)).toMatchObject({
      ok: true,
      kind: 'document',
    })
    const text = new TextEncoder().encode('order list\n')
    expect(classifyAttachment('text/plain', text, false)).toMatchObject({
      ok: true,
      mimeType: 'text/plain',
    })
  })

  it('refuses files over the per-type limit with 413 and a clear message', () => {
    expect(classifyAttachment('image/jpeg', jpeg(5 * MB + 1), false)).toEqual({
      ok: false,
      status: 413,
      code: 'file_too_large',
      message: 'JPEG images may be at most 5 MB on WhatsApp',
    })
    expect(classifyAttachment('image/webp', webp(100 * 1024 + 1), false)).toMatchObject({
      status: 413,
    })
    expect(classifyAttachment('image/webp', webp(300 * 1024, true), false)).toMatchObject({
      ok: true,
      animated: true,
    })
    expect(classifyAttachment('video/mp4', mp4(16 * MB + 1), false)).toMatchObject({
      status: 413,
      message: 'MP4 videos may be at most 16 MB on WhatsApp',
    })
    expect(classifyAttachment('application/pdf', pdf(20 * MB + 1), false)).toMatchObject({
      status: 413,
    })
  })

  it('refuses types WhatsApp rejects with 415', () => {
    expect(
      classifyAttachment('image/gif', new Uint8Array([0x47, 0x49, 0x46, 0x38]), false),
    ).toMatchObject({ ok: false, status: 415 })
    expect(
      classifyAttachment('application/zip', new Uint8Array([0x50, 0x4b, 3, 4]), false),
    ).toMatchObject({ status: 415 })
    expect(classifyAttachment('image/jpeg', png(), false)).toMatchObject({
      ok: true,
      mimeType: 'image/png',
    })
    expect(classifyAttachment('image/jpeg', new Uint8Array(100).fill(1), false)).toMatchObject({
      status: 415,
      code: 'content_mismatch',
      reason: 'no_signature',
      message:
        'The file is not a valid image/jpeg file: its content does not match its type ' +
        '(it does not start the way such a file does)',
    })
    expect(classifyAttachment('audio/ogg', oggOpus(4096, 'vorbis'), false)).toMatchObject({
      status: 415,
    })
    expect(classifyAttachment('audio/webm', webmOpus(3).bytes, true)).toMatchObject({ status: 415 })
    expect(classifyAttachment('video/quicktime', mp4(4096, 'qt  '), false)).toMatchObject({
      status: 415,
    })
    expect(classifyAttachment('image/jpeg', jpeg(), true)).toMatchObject({
      status: 415,
      message: 'A voice note must be OGG/Opus or AAC audio',
    })
    expect(classifyAttachment('text/plain', new Uint8Array(), false)).toMatchObject({ status: 415 })
  })

  it('refuses documents whose content is not what they are declared as, saying why', () => {
    const refused = (declared: string, bytes: Uint8Array) => {
      const verdict = classifyAttachment(declared, bytes, false)
      return verdict.ok ? 'accepted' : `${verdict.status} ${verdict.code} ${verdict.reason}`
    }
    expect(refused('application/pdf', HTML_PAGE)).toBe('415 content_mismatch markup')
    expect(refused('application/pdf', SVG_IMAGE)).toBe('415 content_mismatch markup')
    expect(refused('text/plain', HTML_PAGE)).toBe('415 content_mismatch markup')
    expect(refused(DOCX, ooxml('excel'))).toBe('415 content_mismatch other_office')
    expect(refused('application/msword', new Uint8Array(64).fill(9))).toBe(
      '415 content_mismatch not_office',
    )
    expect(refused('audio/ogg', oggOpus(4096, 'vorbis'))).toBe('415 content_mismatch not_opus')
    expect(refused(DOCX, ooxml('word'))).toBe('accepted')
    expect(refused('application/vnd.ms-excel', ole('Workbook'))).toBe('accepted')
    expect(refused('application/pdf', minimalPdf())).toBe('accepted')
    // A vague declared type: the bytes name the document.
    expect(classifyAttachment('application/octet-stream', ooxml('excel'), false)).toMatchObject({
      ok: true,
      mimeType: XLSX,
    })
  })

  it('normalizes declared types', () => {
    expect(normalizeMime('Audio/MP3')).toBe('audio/mpeg')
    expect(normalizeMime('audio/webm;codecs=opus')).toBe('audio/webm')
    expect(normalizeMime('image/jpg')).toBe('image/jpeg')
  })
})
