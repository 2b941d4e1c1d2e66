import { describe, expect, it } from 'vitest'
import { OPUS_HEAD, webmOpus } from '../../../test/helpers/media-samples.js'
import { isOggOpus, sniffMediaType } from '@atende/shared'
import { classifyAttachment } from './media-types.js'
import { oggCrc, opusPacketSamples, webmToOgg } from './webm-opus.js'

interface Page {
  flags: number
  granule: bigint
  sequence: number
  packets: Uint8Array[]
  continued: boolean
}

/** A strict Ogg reader: every page's CRC is checked, packets are put back together. */
function readOgg(bytes: Uint8Array): Page[] {
  const pages: Page[] = []
  let at = 0
  while (at < bytes.length) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + at)
    expect(String.fromCharCode(...bytes.subarray(at, at + 4))).toBe('OggS')
    const count = bytes[at + 26]!
    const lacing = [...bytes.subarray(at + 27, at + 27 + count)]
    const length = 27 + count + lacing.reduce((a, b) => a + b, 0)
    const page = bytes.slice(at, at + length)
    const crc = view.getUint32(22, true)
    page.fill(0, 22, 26)
    expect(oggCrc(page)).toBe(crc)
    const packets: Uint8Array[] = []
    let data = at + 27 + count
    let current: number[] = []
    for (const value of lacing) {
      current.push(...bytes.subarray(data, data + value))
      data += value
      if (value < 255) {
        packets.push(new Uint8Array(current))
        current = []
      }
    }
    expect(current).toHaveLength(0) // no packet spans pages
    pages.push({
      flags: bytes[at + 5]!,
      granule: view.getBigInt64(6, true),
      sequence: view.getUint32(18, true),
      packets,
      continued: false,
    })
    at += length
  }
  return pages
}

describe('webmToOgg', () => {
  it('rewraps a MediaRecorder WebM/Opus recording as a valid OGG/Opus file', () => {
    const { bytes, packets } = webmOpus(120)
    expect(sniffMediaType(bytes)).toBe('video/webm')
    const ogg = webmToOgg(bytes)!
    expect(ogg).not.toBeNull()
    expect(sniffMediaType(ogg)).toBe('audio/ogg')
    expect(isOggOpus(ogg)).toBe(true)
    const pages = readOgg(ogg)
    expect(pages[0]!.flags).toBe(0x02)
    expect([...pages[0]!.packets[0]!]).toEqual(OPUS_HEAD)
    expect(String.fromCharCode(...pages[1]!.packets[0]!.subarray(0, 8))).toBe('OpusTags')
    expect(pages.at(-1)!.flags).toBe(0x04)
    expect(pages.map((page) => page.sequence)).toEqual(pages.map((_, i) => i))
    expect(pages.slice(2).flatMap((page) => page.packets)).toEqual(packets)
    expect(pages.at(-1)!.granule).toBe(120n * 960n)
    const granules = pages.slice(2).map((page) => page.granule)
    expect([...granules].sort((a, b) => (a < b ? -1 : 1))).toEqual(granules)
    expect(classifyAttachment('audio/ogg', ogg, true)).toMatchObject({
      ok: true,
      mimeType: 'audio/ogg',
      kind: 'audio',
    })
  })

  it('refuses what it cannot rewrap: WebM with video, or not WebM at all', () => {
    expect(webmToOgg(webmOpus(5, { video: true }).bytes)).toBeNull()
    expect(webmToOgg(new Uint8Array([1, 2, 3]))).toBeNull()
  })

  it('keeps the complete packets of a recording cut short', () => {
    const { bytes, packets } = webmOpus(10)
    const ogg = webmToOgg(bytes.subarray(0, bytes.length - 3))!
    expect(
      readOgg(ogg)
        .slice(2)
        .flatMap((page) => page.packets),
    ).toEqual(packets.slice(0, 9))
  })
})

describe('opusPacketSamples', () => {
  it('reads the frame duration and count from the TOC byte', () => {
    expect(opusPacketSamples(new Uint8Array([0xf8]))).toBe(960) // CELT 20 ms, 1 frame
    expect(opusPacketSamples(new Uint8Array([0x08]))).toBe(960) // SILK NB 20 ms
    expect(opusPacketSamples(new Uint8Array([0x18]))).toBe(2880) // SILK NB 60 ms
    expect(opusPacketSamples(new Uint8Array([0xf9]))).toBe(1920) // 2 frames
    expect(opusPacketSamples(new Uint8Array([0x83, 0x03]))).toBe(360) // CELT 2.5 ms × 3
  })
})
