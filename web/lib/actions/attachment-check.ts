/**
 * The composer's look at a picked file before it is uploaded: the same shared sniffer the server
 * runs (`checkMediaSignature`), so a web page named x.pdf is refused in words at once, without
 * sending 20 MB to be told so. The server stays the judge: what passes here may still be refused,
 * and its 415 carries a `reason` worded by `mismatchMessage` too.
 */
import {
  checkMediaSignature,
  normalizeMimeType,
  SIGNATURE_TYPES,
  sniffMediaType,
  type MediaMismatchReason,
} from '@atende/shared'
import { i18n } from '$lib/i18n'

export interface AttachmentMismatch {
  /** The type the file claims to be (normalised). */
  type: string
  reason: MediaMismatchReason
}

/** Media the server sends as whatever its bytes are (a PNG named .jpg goes as a PNG). */
const SENT_AS_SNIFFED = /^(image\/(jpeg|png|webp)|audio\/|video\/(mp4|3gpp))/

/** Why a picked file's content does not match its type, or null when it does (or is not judged). */
export async function precheckAttachment(file: File): Promise<AttachmentMismatch | null> {
  const type = normalizeMimeType(file.type)
  if (!SIGNATURE_TYPES.includes(type)) return null // vague or refused types: the server words it
  const bytes = new Uint8Array(await file.arrayBuffer())
  const sniffed = sniffMediaType(bytes)
  if (sniffed && SENT_AS_SNIFFED.test(sniffed)) return null
  const check = checkMediaSignature(bytes, type)
  return check.ok ? null : { type, reason: check.reason }
}

const REASONS = new Set<string>([
  'empty',
  'markup',
  'other_type',
  'no_signature',
  'not_office',
  'other_office',
  'not_opus',
  'not_utf8',
  'binary',
  'unsupported_type',
])

/** The refusal in the agent's language: "This file is not a real PDF: it is a web page…". */
export function mismatchMessage(type: string, reason: string): string {
  const words = i18n.m.composer.mismatchReasons
  const why = REASONS.has(reason) ? words[reason as MediaMismatchReason] : words.no_signature
  return i18n.m.composer.contentMismatch(typeName(type), why)
}

const NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/msword': 'Word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.ms-excel': 'Excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.ms-powerpoint': 'PowerPoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
}

/** A type as agents know it ("PDF", "Word"), else the MIME type itself. */
function typeName(type: string): string {
  const bare = normalizeMimeType(type)
  return NAMES[bare] ?? bare
}
