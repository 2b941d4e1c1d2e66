/**
 * WebM/Opus → OGG/Opus, without re-encoding. Chrome and Edge record voice (MediaRecorder) only as
 * `audio/webm;codecs=opus`, which WhatsApp refuses; the Opus packets inside are exactly what an
 * OGG/Opus file carries, so they are taken out of the Matroska blocks and rewrapped in Ogg pages
 * (RFC 7845): an OpusHead page, an OpusTags page, then the audio with granule positions counted
 * from each packet's TOC byte (RFC 6716 §3.1).
 *
 * The Matroska reader is deliberately small: it walks elements linearly, stepping into the few
 * containers that matter (MediaRecorder writes Segment and Cluster with unknown sizes, which a
 * linear walk handles) and skipping the rest by size. Anything it does not understand (a video
 * track, a codec other than Opus, laced blocks) gives null, and the upload is refused instead.
 */

const ID = {
  segment: 0x18538067,
  cluster: 0x1f43b675,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  audio: 0xe1,
  blockGroup: 0xa0,
  trackNumber: 0xd7,
  trackType: 0x83,
  codecId: 0x86,
  codecPrivate: 0x63a2,
  channels: 0x9f,
  simpleBlock: 0xa3,
  block: 0xa1,
} as const
const CONTAINERS = new Set<number>([
  ID.segment,
  ID.cluster,
  ID.tracks,
  ID.trackEntry,
  ID.audio,
  ID.blockGroup,
])

interface Track {
  number: number
  type: number
  codec: string
  codecPrivate: Uint8Array | null
  channels: number
}

/** Reads an EBML variable-length integer; `keepMarker` for element ids. Null past the end. */
function readVint(
  bytes: Uint8Array,
  at: number,
  keepMarker: boolean,
): { value: number; length: number; unknown: boolean } | null {
  const first = bytes[at]
  if (first === undefined || first === 0) return null
  const length = Math.clz32(first) - 23 // leading zeros within the byte, plus one
  if (at + length > bytes.length || (keepMarker && length > 4)) return null
  let value = keepMarker ? first : first & (0xff >> length)
  let allOnes = value === 0xff >> length
  for (let i = 1; i < length; i++) {
    value = value * 256 + bytes[at + i]!
    if (bytes[at + i] !== 0xff) allOnes = false
  }
  return { value, length, unknown: !keepMarker && allOnes }
}

const text = (bytes: Uint8Array) => String.fromCharCode(...bytes)
const uint = (bytes: Uint8Array) => bytes.reduce((value, byte) => value * 256 + byte, 0)

/** The Opus packets and the header of a WebM holding exactly one Opus audio track; else null. */
export function demuxWebmOpus(
  bytes: Uint8Array,
): { head: Uint8Array | null; channels: number; packets: Uint8Array[] } | null {
  const tracks: Track[] = []
  const blocks: { track: number; data: Uint8Array }[] = []
  let at = 0
  while (at < bytes.length) {
    const id = readVint(bytes, at, true)
    if (!id) break
    const size = readVint(bytes, at + id.length, false)
    if (!size) break
    const start = at + id.length + size.length
    if (CONTAINERS.has(id.value)) {
      if (id.value === ID.trackEntry)
        tracks.push({ number: 0, type: 0, codec: '', codecPrivate: null, channels: 1 })
      at = start
      continue
    }
    if (size.unknown) return null
    const end = start + size.value
    if (end > bytes.length) break // a recording cut short: keep what is complete
    const body = bytes.subarray(start, end)
    const track = tracks[tracks.length - 1]
    if (track && id.value === ID.trackNumber) track.number = uint(body)
    else if (track && id.value === ID.trackType) track.type = uint(body)
    else if (track && id.value === ID.codecId) track.codec = text(body)
    else if (track && id.value === ID.codecPrivate) track.codecPrivate = body
    else if (track && id.value === ID.channels) track.channels = uint(body)
    else if (id.value === ID.simpleBlock || id.value === ID.block) {
      const number = readVint(body, 0, false)
      if (!number || number.length + 3 > body.length) return null
      const flags = body[number.length + 2]!
      if ((flags & 0x06) !== 0) return null // laced blocks: not written by browsers for Opus
      blocks.push({ track: number.value, data: body.subarray(number.length + 3) })
    }
    at = end
  }
  if (tracks.length !== 1 || tracks[0]!.codec !== 'A_OPUS') return null
  const track = tracks[0]!
  const packets = blocks
    .filter((block) => block.track === track.number && block.data.length > 0)
    .map((block) => block.data)
  if (packets.length === 0) return null
  const head =
    track.codecPrivate && text(track.codecPrivate.subarray(0, 8)) === 'OpusHead'
      ? track.codecPrivate
      : null
  return { head, channels: track.channels, packets }
}

/** Samples (at 48 kHz) one Opus packet decodes to, from its TOC byte. */
export function opusPacketSamples(packet: Uint8Array): number {
  const toc = packet[0] ?? 0
  const config = toc >> 3
  let tenthsOfMs: number
  if (config < 12) tenthsOfMs = [100, 200, 400, 600][config % 4]!
  else if (config < 16) tenthsOfMs = [100, 200][config % 2]!
  else tenthsOfMs = [25, 50, 100, 200][config % 4]!
  const code = toc & 0x03
  const frames = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2
  return (tenthsOfMs * 48 * frames) / 10
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let i = 0; i < 256; i++) {
    let r = i << 24
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1
    table[i] = r >>> 0
  }
  return table
})()

/** Ogg's CRC-32 (polynomial 0x04C11DB7, unreflected, no final xor). */
export function oggCrc(bytes: Uint8Array): number {
  let crc = 0
  for (const byte of bytes) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0
  return crc
}

function oggPage(
  packets: Uint8Array[],
  flags: number,
  granule: bigint,
  serial: number,
  sequence: number,
): Uint8Array {
  const lacing: number[] = []
  for (const packet of packets) {
    for (let left = packet.length; ; left -= 255) {
      lacing.push(Math.min(left, 255))
      if (left < 255) break
    }
  }
  const dataLength = packets.reduce((sum, packet) => sum + packet.length, 0)
  const page = new Uint8Array(27 + lacing.length + dataLength)
  const view = new DataView(page.buffer)
  page.set([0x4f, 0x67, 0x67, 0x53, 0, flags])
  view.setBigInt64(6, granule, true)
  view.setUint32(14, serial, true)
  view.setUint32(18, sequence, true)
  page[26] = lacing.length
  page.set(lacing, 27)
  let at = 27 + lacing.length
  for (const packet of packets) {
    page.set(packet, at)
    at += packet.length
  }
  view.setUint32(22, oggCrc(page), true)
  return page
}

function opusHead(channels: number): Uint8Array {
  const head = new Uint8Array(19)
  const view = new DataView(head.buffer)
  head.set([...'OpusHead'].map((c) => c.charCodeAt(0)))
  head[8] = 1
  head[9] = channels
  view.setUint16(10, 312, true) // the usual encoder delay (6.5 ms)
  view.setUint32(12, 48_000, true)
  return head
}

function opusTags(): Uint8Array {
  const vendor = [...'atende'].map((c) => c.charCodeAt(0))
  const tags = new Uint8Array(8 + 4 + vendor.length + 4)
  tags.set([...'OpusTags'].map((c) => c.charCodeAt(0)))
  new DataView(tags.buffer).setUint32(8, vendor.length, true)
  tags.set(vendor, 12)
  return tags
}

/** Rewraps a WebM/Opus recording as OGG/Opus; null when it is not one (see demuxWebmOpus). */
export function webmToOgg(webm: Uint8Array, serial = 0x61746e64): Uint8Array | null {
  const demuxed = demuxWebmOpus(webm)
  if (!demuxed) return null
  const head = demuxed.head ?? opusHead(demuxed.channels)
  const pages = [oggPage([head], 0x02, 0n, serial, 0), oggPage([opusTags()], 0, 0n, serial, 1)]
  let granule = 0n
  let batch: Uint8Array[] = []
  let segments = 0
  const flush = (last: boolean) => {
    pages.push(oggPage(batch, last ? 0x04 : 0, granule, serial, pages.length))
    batch = []
    segments = 0
  }
  for (const packet of demuxed.packets) {
    const needed = Math.floor(packet.length / 255) + 1
    if (segments + needed > 255 || batch.length >= 50) flush(false) // about one second a page
    batch.push(packet)
    segments += needed
    granule += BigInt(opusPacketSamples(packet))
  }
  flush(true)
  const out = new Uint8Array(pages.reduce((sum, page) => sum + page.length, 0))
  let at = 0
  for (const page of pages) {
    out.set(page, at)
    at += page.length
  }
  return out
}
