/**
 * What an agent may attach: the file types WhatsApp accepts, each within its own size limit and
 * our 20 MB cap. The bytes decide for media (a browser's declared type is often vague or wrong):
 * a file that says it is a JPEG but is not is refused here rather than by WhatsApp later. Documents
 * keep their declared type, and their content must match it (the shared `checkMediaSignature`):
 * a web page named x.pdf is refused, never sent to a customer as a PDF.
 */
import {
  checkMediaSignature,
  normalizeMimeType,
  sniffMediaType,
  type MediaMismatchReason,
} from '@atende/shared'
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

/** `type/subtype` in lower case, parameters dropped, common aliases folded. */
export const normalizeMime = normalizeMimeType

const ascii = (bytes: Uint8Array, from: number, length: number) =>
  String.fromCharCode(...bytes.subarray(from, from + length))

/** An extended WebP (VP8X) with its animation flag set. */
function isAnimatedWebp(bytes: Uint8Array): boolean {
  return ascii(bytes, 12, 4) === 'VP8X' && ((bytes[20] ?? 0) & 0x02) !== 0
}

export type AttachmentVerdict =
  | { ok: true; mimeType: string; kind: MediaKind; animated: boolean }
  | { ok: false; status: 413 | 415; code: string; message: string; reason?: MediaMismatchReason }

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

/** What each mismatch means, for the 415's message (the web app words it in its own language). */
const MISMATCH: Record<MediaMismatchReason, string> = {
  empty: 'the file is empty',
  markup: 'it is a web page or markup (HTML, SVG or XML)',
  other_type: 'it is another type of file',
  no_signature: 'it does not start the way such a file does',
  not_office: 'it is not an Office document',
  other_office: "it is another Office application's document",
  not_opus: 'OGG audio must be Opus-encoded: WhatsApp does not play OGG/Vorbis',
  not_utf8: 'it is not UTF-8 text',
  binary: 'it holds binary data, not text',
  unsupported_type: 'its type is not one WhatsApp accepts',
}

/** The 415 for content that does not match its type: `content_mismatch` with the reason. */
export function contentMismatch(mimeType: string, reason: MediaMismatchReason): AttachmentVerdict {
  return {
    ok: false,
    status: 415,
    code: 'content_mismatch',
    reason,
    message: `The file is not a valid ${mimeType} file: its content does not match its type (${MISMATCH[reason]})`,
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
  const claimed = normalizeMime(declared)
  if (bytes.length === 0) return contentMismatch(claimed || 'this', 'empty')
  const sniffed = sniffMediaType(bytes)
  if (sniffed === 'video/webm') {
    return refuse(
      415,
      'WhatsApp does not accept WebM: send MP4 video, or record voice notes as OGG/Opus',
    )
  }
  const recognised = sniffed ? ACCEPTED[sniffed] : undefined
  let mimeType: string
  if (recognised && (recognised.kind !== 'document' || !ACCEPTED[claimed])) {
    // Media: the bytes decide (a PNG named .jpg is sent as the PNG it is); a document the bytes
    // name stands in for a vague declared type. An MP4 container declared as audio is an M4A.
    mimeType = sniffed === 'video/mp4' && claimed === 'audio/mp4' ? 'audio/mp4' : sniffed!
  } else if (ACCEPTED[claimed]) {
    mimeType = claimed
  } else {
    const what = sniffed ?? (claimed || 'this type of file')
    return refuse(415, `WhatsApp does not accept ${what}: send ${ACCEPTED_LIST}`)
  }
  const signature = checkMediaSignature(bytes, mimeType)
  if (!signature.ok) return contentMismatch(mimeType, signature.reason)
  const accepted = ACCEPTED[mimeType]!
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
