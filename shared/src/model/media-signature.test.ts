import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  aac,
  amr,
  HTML_PAGE,
  jpeg,
  minimalPdf,
  mp3,
  mp4,
  oggOpus,
  png,
  SVG_IMAGE,
  text,
  webmOpus,
  webp,
} from '../../../sync-server/test/helpers/media-samples.js'
import { ole, ooxml, zip } from '../../../sync-server/test/helpers/office-samples.js'
import {
  checkMediaSignature,
  DOCX,
  normalizeMimeType,
  PPTX,
  SIGNATURE_TYPES,
  sniffMediaType,
  XLSX,
} from './media-signature.js'

/** One genuine file of each type WhatsApp accepts. */
const VALID: Record<string, () => Uint8Array> = {
  'image/jpeg': () => jpeg(),
  'image/png': () => png(),
  'image/webp': () => webp(),
  'audio/aac': () => aac(),
  'audio/amr': () => amr(),
  'audio/mpeg': () => mp3(),
  'audio/mp4': () => mp4(4096, 'M4A '),
  'audio/ogg': () => oggOpus(),
  'video/mp4': () => mp4(),
  'video/3gpp': () => mp4(4096, '3gp5'),
  'application/pdf': minimalPdf,
  [DOCX]: () => ooxml('word'),
  [XLSX]: () => ooxml('excel'),
  [PPTX]: () => ooxml('powerpoint'),
  'application/msword': () => ole('WordDocument'),
  'application/vnd.ms-excel': () => ole('Workbook'),
  'application/vnd.ms-powerpoint': () => ole('PowerPoint Document'),
  'text/plain': () => text('Pedido 1042: 2 camisetas, entrega amanhã ✓\r\n'),
}
/** ISO media files share one container: any of these is the other as far as bytes go. */
const ISO = new Set(['audio/mp4', 'video/mp4', 'video/3gpp'])

const reason = (bytes: Uint8Array, type: string) => {
  const check = checkMediaSignature(bytes, type)
  return check.ok ? 'ok' : check.reason
}

describe('checkMediaSignature', () => {
  it('covers every type WhatsApp accepts', () => {
    expect(Object.keys(VALID).every((type) => SIGNATURE_TYPES.includes(type))).toBe(true)
  })

  it('accepts each genuine file under its own type, and under no other', () => {
    for (const [actual, sample] of Object.entries(VALID)) {
      for (const declared of Object.keys(VALID)) {
        const same = actual === declared || (ISO.has(actual) && ISO.has(declared))
        expect([actual, declared, checkMediaSignature(sample(), declared).ok]).toEqual([
          actual,
          declared,
          same,
        ])
      }
    }
  })

  it('refuses a web page or an SVG declared as a PDF, a picture or text, as markup', () => {
    for (const page of [HTML_PAGE, SVG_IMAGE, text('\ufeff  \n<SCRIPT>alert(1)</SCRIPT>')]) {
      expect(reason(page, 'application/pdf')).toBe('markup')
      expect(reason(page, 'image/png')).toBe('markup')
      expect(reason(page, 'text/plain')).toBe('markup')
      expect(reason(page, DOCX)).toBe('markup')
    }
  })

  it('says why a file does not match', () => {
    expect(reason(new Uint8Array(), 'application/pdf')).toBe('empty')
    expect(reason(png(), 'application/pdf')).toBe('other_type')
    expect(reason(new Uint8Array(64).fill(7), 'application/pdf')).toBe('no_signature')
    expect(reason(ooxml('excel'), DOCX)).toBe('other_office')
    expect(reason(ole('Workbook'), 'application/msword')).toBe('other_office')
    expect(reason(zip({ 'a.txt': 'hello' }), DOCX)).toBe('not_office')
    expect(reason(new Uint8Array(64).fill(7), 'application/msword')).toBe('not_office')
    expect(reason(ole('WordDocument'), DOCX)).toBe('other_type')
    expect(reason(oggOpus(4096, 'vorbis'), 'audio/ogg')).toBe('not_opus')
    expect(reason(text('a\u0000b'), 'text/plain')).toBe('binary')
    expect(reason(new Uint8Array([0x68, 0xc3, 0x28]), 'text/plain')).toBe('not_utf8')
    expect(reason(new Uint8Array([0xed, 0xa0, 0x80]), 'text/plain')).toBe('not_utf8')
    expect(reason(jpeg(), 'text/plain')).toBe('other_type')
    expect(reason(jpeg(), 'application/zip')).toBe('unsupported_type')
  })

  it('reads declared types loosely, and text with a BOM or a harmless "<"', () => {
    expect(reason(mp3(), 'Audio/MP3')).toBe('ok')
    expect(reason(oggOpus(), 'audio/ogg; codecs=opus')).toBe('ok')
    expect(reason(jpeg(), 'image/jpg')).toBe('ok')
    expect(reason(mp3(1024, true), 'audio/mpeg')).toBe('ok')
    expect(reason(text('\ufeffhello'), 'text/plain')).toBe('ok')
    expect(reason(text('<3 thanks!\n<b>old</b>'), 'text/plain')).toBe('ok')
    expect(normalizeMimeType('video/3gp')).toBe('video/3gpp')
  })
})

describe('sniffMediaType', () => {
  it('names what the bytes are', () => {
    expect(sniffMediaType(ooxml('powerpoint'))).toBe(PPTX)
    expect(sniffMediaType(ole('WordDocument'))).toBe('application/msword')
    expect(sniffMediaType(zip({ 'a.txt': 'x' }))).toBe('application/zip')
    expect(sniffMediaType(webmOpus(2).bytes)).toBe('video/webm')
    expect(sniffMediaType(aac())).toBe('audio/aac')
    expect(sniffMediaType(HTML_PAGE)).toBeNull()
  })
})

/** What each type's content must genuinely start with, written apart from the sniffer. */
const latin = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.slice(from, to))
const hasText = (b: Uint8Array, needle: string) => latin(b, 0, b.length).includes(needle)
const OLE_MAGIC = '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1'
const GENUINE: Record<string, (b: Uint8Array) => boolean> = {
  'image/jpeg': (b) => latin(b, 0, 3) === '\xff\xd8\xff',
  'image/png': (b) => latin(b, 0, 8) === '\x89PNG\r\n\x1a\n',
  'image/webp': (b) => latin(b, 0, 4) === 'RIFF' && latin(b, 8, 12) === 'WEBP',
  'image/gif': (b) => latin(b, 0, 4) === 'GIF8',
  'audio/aac': (b) => b[0] === 0xff || latin(b, 0, 4) === 'ADIF' || latin(b, 0, 3) === 'ID3',
  'audio/amr': (b) => latin(b, 0, 5) === '#!AMR',
  'audio/mpeg': (b) => b[0] === 0xff || latin(b, 0, 3) === 'ID3',
  'audio/ogg': (b) => latin(b, 0, 4) === 'OggS' && hasText(b, 'OpusHead'),
  'application/pdf': (b) => latin(b, 0, 5) === '%PDF-',
  'text/plain': (b) => {
    let decoded: string
    try {
      decoded = new TextDecoder('utf-8', { fatal: true }).decode(b)
    } catch {
      return false
    }
    return !decoded.includes('\0') && !/^\s*<(html|svg|script|\?xml|!doctype)/i.test(decoded)
  },
}
for (const type of ['audio/mp4', 'video/mp4', 'video/3gpp']) {
  GENUINE[type] = (b) => latin(b, 4, 8) === 'ftyp'
}
for (const [type, folder] of [
  [DOCX, 'word/'],
  [XLSX, 'xl/'],
  [PPTX, 'ppt/'],
] as const) {
  GENUINE[type] = (b) =>
    latin(b, 0, 4) === 'PK\x03\x04' && hasText(b, '[Content_Types].xml') && hasText(b, folder)
}
for (const type of [
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
])
  GENUINE[type] = (b) => latin(b, 0, 8) === OLE_MAGIC

describe('checkMediaSignature, on any bytes', () => {
  // Random tails behind real signatures, so the checks past the first bytes are exercised too.
  const prefixes = Object.values(VALID).map((sample) => sample().slice(0, 48))
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc
      .tuple(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 200 }))
      .map(([head, tail]) => Uint8Array.from([...head, ...tail])),
    fc.string({ unit: 'binary', maxLength: 200 }).map((s) => new TextEncoder().encode(s)),
    fc
      .tuple(fc.constantFrom('<html>', ' <svg ', '<?xml', '<!DOCTYPE html>'), fc.string())
      .map(([head, tail]) => new TextEncoder().encode(head + tail)),
  )

  it('refuses random bytes under every declared type, unless they genuinely match', () => {
    fc.assert(
      fc.property(bytes, fc.constantFrom(...SIGNATURE_TYPES), (content, type) => {
        const check = checkMediaSignature(content, type)
        expect(!check.ok || GENUINE[type]!(content)).toBe(true)
      }),
      { numRuns: 3000 },
    )
  })

  it('never lets markup through, whatever the declared type', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('<html', '<svg', '<script', '<?xml', '<!doctype html'),
        fc.string(),
        fc.constantFrom(...SIGNATURE_TYPES),
        (head, tail, type) => {
          const check = checkMediaSignature(new TextEncoder().encode(`\n ${head} ${tail}`), type)
          expect(check).toEqual({ ok: false, reason: 'markup' })
        },
      ),
    )
  })
})
