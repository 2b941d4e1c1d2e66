/**
 * What an agent may attach: the file types WhatsApp accepts, each within its own size limit and
 * our 20 MB cap. The bytes decide for media (a browser's declared type is often vague or wrong):
 * a file that says it is a JPEG but is not is refused here rather than by WhatsApp later.
 */
import type { MediaKind } from './payload.js'

const KB = 1024
const MB = 1024 * KB
/** The product's cap on any agent upload, whatever WhatsApp would take. */
export const MAX_ATTACHMENT_BYTES = 20 * MB

interface Accepted {
  kind: MediaKind
  limit: number
  label: string
}

const DOCUMENT: Accepted = { kind: 'document', limit: 20 * MB, label: 'Documents' }
const ACCEPTED: Record<string, Accepted> = {
  'image/jpeg': { kind: 'image', limit: 5 * MB, label: 'JPEG images' },
  'image/png': { kind: 'image', limit: 5 * MB, label: 'PNG images' },
  'image/webp': { kind: 'sticker', limit: 100 * KB, label: 'Stickers (WebP)' },
  'audio/aac': { kind: 'audio', limit: 16 * MB, label: 'AAC audio' },
  'audio/amr': { kind: 'audio', limit: 16 * MB, label: 'AMR audio' },
  'audio/mpeg': { kind: 'audio', limit: 16 * MB, label: 'MP3 audio' },
  'audio/mp4': { kind: 'audio', limit: 16 * MB, label: 'M4A audio' },
  'audio/ogg': { kind: 'audio', limit: 16 * MB, label: 'OGG/Opus audio' },
  'video/mp4': { kind: 'video', limit: 16 * MB, label: 'MP4 videos' },
  'video/3gpp': { kind: 'video', limit: 16 * MB, label: '3GP videos' },
  'text/plain': DOCUMENT,
  'application/pdf': DOCUMENT,
  'application/msword': DOCUMENT,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': DOCUMENT,
  'application/vnd.ms-excel': DOCUMENT,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': DOCUMENT,
  'application/vnd.ms-powerpoint': DOCUMENT,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': DOCUMENT,
}
const ANIMATED_STICKER_LIMIT = 500 * KB

const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'audio/mp3': 'audio/mpeg',
  'audio/x-m4a': 'audio/mp4',
  'audio/m4a': 'audio/mp4',
  'audio/x-aac': 'audio/aac',
  'audio/opus': 'audio/ogg',
  'video/3gp': 'video/3gpp',
}

/** `type/subtype` in lower case, parameters dropped, common aliases folded. */
export function normalizeMime(declared: string): string {
  const bare = declared.split(';')[0]!.trim().toLowerCase()
  return ALIASES[bare] ?? bare
}

const ascii = (bytes: Uint8Array, from: number, length: number) =>
  String.fromCharCode(...bytes.subarray(from, from + length))

/** The type the bytes say they are ('webm' for any Matroska/WebM), or null when unrecognised. */
export function sniffMime(bytes: Uint8Array): string | null {
  const [b0, b1, b2] = [bytes[0] ?? -1, bytes[1] ?? -1, bytes[2] ?? -1]
  if (b0 === 0xff && b1 === 0xd8 && b2 === 0xff) return 'image/jpeg'
  if (ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png'
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'image/webp'
  if (ascii(bytes, 0, 4) === 'OggS') return 'audio/ogg'
  if (b0 === 0x1a && b1 === 0x45 && b2 === 0xdf && bytes[3] === 0xa3) return 'webm'
  if (ascii(bytes, 4, 4) === 'ftyp') {
    const brand = ascii(bytes, 8, 4)
    if (brand === 'M4A ' || brand === 'M4B ') return 'audio/mp4'
    if (brand.startsWith('3g')) return 'video/3gpp'
    if (brand === 'qt  ') return 'video/quicktime'
    return 'video/mp4'
  }
  if (ascii(bytes, 0, 5) === '#!AMR') return 'audio/amr'
  if (ascii(bytes, 0, 4) === '%PDF') return 'application/pdf'
  if (ascii(bytes, 0, 3) === 'ID3') return 'audio/mpeg'
  if (b0 === 0xff && (b1 & 0xf6) === 0xf0) return 'audio/aac' // ADTS: sync word, layer 00
  if (b0 === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x06) !== 0) return 'audio/mpeg' // MPEG frame
  return null
}

/** OGG whose first stream is Opus (WhatsApp plays no other codec in OGG). */
export function isOggOpus(bytes: Uint8Array): boolean {
  return ascii(bytes, 0, 4) === 'OggS' && ascii(bytes, 28, 8) === 'OpusHead'
}

/** An extended WebP (VP8X) with its animation flag set. */
function isAnimatedWebp(bytes: Uint8Array): boolean {
  return ascii(bytes, 12, 4) === 'VP8X' && ((bytes[20] ?? 0) & 0x02) !== 0
}

export type AttachmentVerdict =
  | { ok: true; mimeType: string; kind: MediaKind; animated: boolean }
  | { ok: false; status: 413 | 415; code: string; message: string }

const ACCEPTED_LIST =
  'JPEG or PNG images, MP4 or 3GP videos, AAC, AMR, MP3, M4A or OGG/Opus audio, WebP stickers, ' +
  'and PDF, text or Office documents'

function refuse(status: 413 | 415, message: string): AttachmentVerdict {
  return {
    ok: false,
    status,
    code: status === 413 ? 'file_too_large' : 'unsupported_file_type',
    message,
  }
}

function size(limit: number): string {
  return limit >= MB ? `${limit / MB} MB` : `${limit / KB} KB`
}

/**
 * Decides whether a file may go to WhatsApp and as what. `declared` is the browser's type; `voice`
 * marks a recorded voice note (OGG/Opus, AAC or M4A only). WebM is refused here: the caller
 * converts WebM/Opus voice recordings to OGG/Opus first.
 */
export function classifyAttachment(
  declared: string,
  bytes: Uint8Array,
  voice: boolean,
): AttachmentVerdict {
  if (bytes.length === 0) return refuse(415, 'The file is empty')
  const claimed = normalizeMime(declared)
  const sniffed = sniffMime(bytes)
  if (sniffed === 'webm') {
    return refuse(
      415,
      'WhatsApp does not accept WebM: send MP4 video, or record voice notes as OGG/Opus',
    )
  }
  let mimeType: string
  if (sniffed && ACCEPTED[sniffed]) {
    // An MP4 container declared as audio is an M4A; the bytes decide everything else.
    mimeType = sniffed === 'video/mp4' && claimed === 'audio/mp4' ? 'audio/mp4' : sniffed
  } else if (ACCEPTED[claimed]?.kind === 'document' && !sniffed) {
    mimeType = claimed
  } else if (ACCEPTED[claimed]) {
    return refuse(
      415,
      `The file is not a valid ${claimed} file: its content does not match its type`,
    )
  } else {
    const what = sniffed ?? (claimed || 'this type of file')
    return refuse(415, `WhatsApp does not accept ${what}: send ${ACCEPTED_LIST}`)
  }
  const accepted = ACCEPTED[mimeType]!
  if (mimeType === 'audio/ogg' && !isOggOpus(bytes)) {
    return refuse(415, 'OGG audio must be Opus-encoded: WhatsApp does not play OGG/Vorbis')
  }
  if (voice && !['audio/ogg', 'audio/aac', 'audio/mp4'].includes(mimeType)) {
    return refuse(415, 'A voice note must be OGG/Opus or AAC audio')
  }
  const animated = mimeType === 'image/webp' && isAnimatedWebp(bytes)
  const limit = animated ? ANIMATED_STICKER_LIMIT : Math.min(accepted.limit, MAX_ATTACHMENT_BYTES)
  if (bytes.length > limit) {
    const label = animated ? 'Animated stickers' : accepted.label
    return refuse(413, `${label} may be at most ${size(limit)} on WhatsApp`)
  }
  return { ok: true, mimeType, kind: accepted.kind, animated }
}
