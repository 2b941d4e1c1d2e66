/**
 * Tiny media files for attachment tests, built byte by byte: the headers our type checks read
 * (and, for WebM/Opus, a real Matroska structure as Chrome's MediaRecorder writes it). Office
 * samples are real containers: see office-samples.ts.
 */
export const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0))

export function jpeg(size = 2048): Uint8Array {
  const bytes = new Uint8Array(size)
  bytes.set([0xff, 0xd8, 0xff, 0xe0])
  return bytes
}

export function png(size = 2048): Uint8Array {
  const bytes = new Uint8Array(size)
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return bytes
}

export function webp(size = 1024, animated = false): Uint8Array {
  const bytes = new Uint8Array(size)
  bytes.set([...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WEBP'), ...ascii(animated ? 'VP8X' : 'VP8 ')])
  if (animated) bytes[20] = 0x02
  return bytes
}

export function pdf(size = 4096): Uint8Array {
  const bytes = new Uint8Array(size)
  bytes.set(ascii('%PDF-1.7\n'))
  return bytes
}

export function mp4(size = 4096, brand = 'isom'): Uint8Array {
  const bytes = new Uint8Array(size)
  bytes.set([0, 0, 0, 0x20, ...ascii('ftyp'), ...ascii(brand)])
  return bytes
}

/** An OGG page header whose first packet is OpusHead (or Vorbis). */
export function oggOpus(size = 4096, codec: 'opus' | 'vorbis' = 'opus'): Uint8Array {
  const bytes = new Uint8Array(size)
  bytes.set([...ascii('OggS'), 0, 2])
  bytes[26] = 1 // one segment in the page's table, then the packet
  bytes.set(codec === 'opus' ? ascii('OpusHead') : [1, ...ascii('vorbis')], 28)
  return bytes
}

function vint(value: number): number[] {
  for (let length = 1; length <= 8; length++) {
    if (value < 2 ** (7 * length) - 1) {
      const out: number[] = []
      let rest = value
      for (let i = 0; i < length; i++) {
        out.unshift(rest % 256)
        rest = Math.floor(rest / 256)
      }
      out[0]! |= 0x80 >> (length - 1)
      return out
    }
  }
  throw new Error('too large')
}

function idBytes(id: number): number[] {
  const out: number[] = []
  for (let rest = id; rest > 0; rest = Math.floor(rest / 256)) out.unshift(rest % 256)
  return out
}

const element = (id: number, body: number[]) => [...idBytes(id), ...vint(body.length), ...body]
const unknownSize = (id: number, body: number[]) => [
  ...idBytes(id),
  0x01,
  0xff,
  0xff,
  0xff,
  0xff,
  0xff,
  0xff,
  0xff,
  ...body,
]
const uint = (value: number) => [value]

/** The OpusHead Chrome writes as CodecPrivate (mono, 48 kHz, pre-skip 312). */
export const OPUS_HEAD = [...ascii('OpusHead'), 1, 1, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0]

/**
 * A WebM/Opus recording like MediaRecorder's: unknown-size Segment and Cluster, one Opus track,
 * one SimpleBlock per packet. Each packet is 20 ms of CELT (TOC 0xF8) plus `i` as payload.
 */
export function webmOpus(
  packets: number,
  options: { video?: boolean } = {},
): { bytes: Uint8Array; packets: Uint8Array[] } {
  const opus = Array.from(
    { length: packets },
    (_, i) => new Uint8Array([0xf8, i % 256, 0xaa, 0x55]),
  )
  const audioTrack = element(0xae, [
    ...element(0xd7, uint(1)),
    ...element(0x83, uint(2)),
    ...element(0x86, ascii('A_OPUS')),
    ...element(0x63a2, OPUS_HEAD),
    ...element(0xe1, [...element(0x9f, uint(1)), ...element(0xb5, [0x47, 0x3b, 0x80, 0x00])]),
  ])
  const videoTrack = element(0xae, [
    ...element(0xd7, uint(2)),
    ...element(0x83, uint(1)),
    ...element(0x86, ascii('V_VP8')),
  ])
  const blocks = opus.flatMap((packet, i) => element(0xa3, [0x81, 0, i, 0x80, ...packet]))
  const bytes = [
    ...element(0x1a45dfa3, [...element(0x4282, ascii('webm'))]),
    ...unknownSize(0x18538067, [
      ...element(0x1549a966, [...element(0x2ad7b1, [0x0f, 0x42, 0x40])]),
      ...element(0x1654ae6b, [...audioTrack, ...(options.video ? videoTrack : [])]),
      ...unknownSize(0x1f43b675, [...element(0xe7, uint(0)), ...blocks]),
    ]),
  ]
  return { bytes: new Uint8Array(bytes), packets: opus }
}

/** A complete one-page PDF, as small as a valid one gets. */
export function minimalPdf(): Uint8Array {
  return new TextEncoder().encode(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n' +
      '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
      '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n' +
      'trailer<</Root 1 0 R>>\n%%EOF\n',
  )
}

/** ADTS AAC: sync word, MPEG-4, layer 00, no CRC. */
export function aac(size = 1024): Uint8Array {
  const bytes = new Uint8Array(size)
  bytes.set([0xff, 0xf1, 0x50, 0x80])
  return bytes
}

export function amr(size = 512): Uint8Array {
  const bytes = new Uint8Array(size)
  bytes.set(ascii('#!AMR\n'))
  return bytes
}

/** An MP3 frame header (MPEG-1 layer III, 128 kbit/s, 44.1 kHz), or an ID3 tag first. */
export function mp3(size = 1024, id3 = false): Uint8Array {
  const bytes = new Uint8Array(size)
  bytes.set(id3 ? [...ascii('ID3'), 4, 0, 0, 0, 0, 0, 0] : [0xff, 0xfb, 0x90, 0x64])
  return bytes
}

export const text = (content: string) => new TextEncoder().encode(content)

/** What an attacker would dress up as a PDF or a picture. */
export const HTML_PAGE = text(
  '<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n',
)
export const SVG_IMAGE = text(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
)
