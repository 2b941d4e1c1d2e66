/**
 * Does a file's content match its declared type? One sniffer for every type WhatsApp accepts,
 * used by agents' uploads (server and composer), the fake Graph upload and customers' downloads.
 *
 * The algorithm: the declared type is normalised (parameters dropped, aliases folded) and picks a
 * check of the bytes against that type's signature:
 * - images: JPEG `FF D8 FF`, PNG `89 PNG \r\n 1A \n`, WebP `RIFF····WEBP` (GIF for customers');
 * - audio: AAC as ADTS (sync word, layer 00, possibly after an ID3 tag) or `ADIF`, AMR `#!AMR`,
 *   MP3 as `ID3` or an MPEG audio frame header, M4A as an ISO box `ftyp`, OGG as `OggS` whose
 *   first packet is `OpusHead` (WhatsApp plays no other codec in OGG: `not_opus`);
 * - video: MP4 and 3GP as an `ftyp` box with a printable brand;
 * - PDF `%PDF-` at the very start;
 * - docx/xlsx/pptx: a ZIP with `[Content_Types].xml` whose parts live under the declared app's
 *   folder; doc/xls/ppt: an OLE compound file (see office-containers.ts). Another app's package
 *   is `other_office`; a ZIP that is no Office package, or no container at all, is `not_office`;
 * - text/plain: UTF-8 (a BOM allowed) with no NUL or other binary control bytes, and no markup
 *   (`<html`, `<svg`, `<script`, `<?xml`, `<!doctype`, … after leading whitespace).
 * When the signature is absent the reason says what the bytes are instead: `markup` (a web page
 * or SVG, the dangerous case), `other_type` (another known signature), else `no_signature`.
 * Pure: no Node built-ins, so the browser runs the very same checks before uploading.
 */
import { isOle, isZip, ooxmlApps, oleApps, type OfficeApp } from './office-containers.js'

export type MediaMismatchReason =
  | 'empty'
  | 'markup'
  | 'other_type'
  | 'no_signature'
  | 'not_office'
  | 'other_office'
  | 'not_opus'
  | 'not_utf8'
  | 'binary'
  | 'unsupported_type'

export type MediaSignatureCheck = { ok: true } | { ok: false; reason: MediaMismatchReason }

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
export const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation'
const OOXML_TYPES: Record<OfficeApp, string> = { word: DOCX, excel: XLSX, powerpoint: PPTX }
const OLE_TYPES: Record<OfficeApp, string> = {
  word: 'application/msword',
  excel: 'application/vnd.ms-excel',
  powerpoint: 'application/vnd.ms-powerpoint',
}

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
export function normalizeMimeType(declared: string): string {
  const bare = declared.split(';')[0]!.trim().toLowerCase()
  return ALIASES[bare] ?? bare
}

const ascii = (bytes: Uint8Array, from: number, length: number) =>
  String.fromCharCode(...bytes.subarray(from, from + length))

const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff
const isPng = (b: Uint8Array) => ascii(b, 0, 8) === '\x89PNG\r\n\x1a\n'
const isWebp = (b: Uint8Array) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP'
const isGif = (b: Uint8Array) => /^GIF8[79]a$/.test(ascii(b, 0, 6))
const isPdf = (b: Uint8Array) => ascii(b, 0, 5) === '%PDF-'
const isAmr = (b: Uint8Array) => ascii(b, 0, 5) === '#!AMR'
const isOgg = (b: Uint8Array) => ascii(b, 0, 4) === 'OggS'
const isWebm = (b: Uint8Array) => b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3
/** An ISO base media file (MP4, M4A, 3GP, MOV): an `ftyp` box first, with a printable brand. */
const isFtyp = (b: Uint8Array) =>
  ascii(b, 4, 4) === 'ftyp' && /^[\x20-\x7e]{4}$/.test(ascii(b, 8, 4))
/** ADTS: 12-bit sync word, layer 00. */
const isAdts = (b: Uint8Array, at = 0) => b[at] === 0xff && ((b[at + 1] ?? 0) & 0xf6) === 0xf0
const isId3 = (b: Uint8Array) => ascii(b, 0, 3) === 'ID3'

/** An MPEG audio frame header: sync, a real version and layer, bitrate and sample rate. */
function isMpegFrame(b: Uint8Array): boolean {
  const [b0, b1, b2] = [b[0] ?? 0, b[1] ?? 0, b[2] ?? 0]
  return (
    b0 === 0xff &&
    (b1 & 0xe0) === 0xe0 &&
    ((b1 >> 3) & 3) !== 1 &&
    (b1 & 0x06) !== 0 &&
    b2 >> 4 !== 0xf &&
    ((b2 >> 2) & 3) !== 3
  )
}

/** Where the audio starts after an ID3v2 tag (its size is four 7-bit bytes). */
function afterId3(b: Uint8Array): number {
  if (!isId3(b)) return 0
  const size = ((b[6] ?? 0) << 21) | ((b[7] ?? 0) << 14) | ((b[8] ?? 0) << 7) | (b[9] ?? 0)
  return 10 + size
}

/** OGG whose first packet (after the page's segment table) is an Opus header. */
export function isOggOpus(bytes: Uint8Array): boolean {
  return isOgg(bytes) && ascii(bytes, 27 + (bytes[26] ?? 0), 8) === 'OpusHead'
}

const MARKUP =
  /^(?:<\?xml|<!--|<!doctype[\s>]|<(?:html|head|body|script|iframe|svg|style|title|meta|link|object|embed|form|img|div|table|font|base|math|h1|br|a|b|p)[\s/>])/i

/** Starts, after a BOM and whitespace, like HTML, SVG or XML would. */
export function startsWithMarkup(bytes: Uint8Array): boolean {
  let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  while (at < bytes.length && [0x20, 0x09, 0x0a, 0x0d, 0x0c].includes(bytes[at]!)) at++
  return MARKUP.test(ascii(bytes, at, 16))
}

/**
 * The type the bytes' signature says they are, or null when they have none we know. `video/webm`
 * for any Matroska; `application/zip` and `application/x-ole-storage` for containers holding no
 * Office document we can tell.
 */
export function sniffMediaType(bytes: Uint8Array): string | null {
  if (isJpeg(bytes)) return 'image/jpeg'
  if (isPng(bytes)) return 'image/png'
  if (isWebp(bytes)) return 'image/webp'
  if (isGif(bytes)) return 'image/gif'
  if (isOgg(bytes)) return 'audio/ogg'
  if (isWebm(bytes)) return 'video/webm'
  if (isFtyp(bytes)) {
    const brand = ascii(bytes, 8, 4)
    if (brand === 'M4A ' || brand === 'M4B ') return 'audio/mp4'
    if (brand.startsWith('3g')) return 'video/3gpp'
    if (brand === 'qt  ') return 'video/quicktime'
    return 'video/mp4'
  }
  if (isAmr(bytes)) return 'audio/amr'
  if (isPdf(bytes)) return 'application/pdf'
  if (isZip(bytes)) {
    const app = ooxmlApps(bytes)?.[0]
    return app ? OOXML_TYPES[app] : 'application/zip'
  }
  if (isOle(bytes)) {
    const app = oleApps(bytes)[0]
    return app ? OLE_TYPES[app] : 'application/x-ole-storage'
  }
  if (isAdts(bytes) || isAdts(bytes, afterId3(bytes))) return 'audio/aac'
  if (isId3(bytes) || isMpegFrame(bytes)) return 'audio/mpeg'
  return null
}

/** True when the bytes matched; false when the signature is absent; else the precise reason. */
type Check = (bytes: Uint8Array) => boolean | MediaMismatchReason

const ooxml =
  (app: OfficeApp): Check =>
  (bytes) => {
    if (!isZip(bytes)) return false
    const apps = ooxmlApps(bytes)
    if (!apps || apps.length === 0) return 'not_office'
    return apps.includes(app) || 'other_office'
  }

const ole =
  (app: OfficeApp): Check =>
  (bytes) => {
    if (!isOle(bytes)) return false
    const apps = oleApps(bytes)
    return apps.length === 0 || apps.includes(app) || 'other_office'
  }

/** Bytes below 0x20 that text files carry: tab, line feed, form feed, carriage return. */
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d])

function isUtf8(b: Uint8Array): boolean {
  for (let i = 0; i < b.length;) {
    const lead = b[i]!
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4
    if (lead >= 0x80 && (lead < 0xc2 || lead > 0xf4)) return false
    if (i + length > b.length) return false
    for (let k = 1; k < length; k++) if ((b[i + k]! & 0xc0) !== 0x80) return false
    const second = b[i + 1] ?? 0
    // Overlong forms, UTF-16 surrogates, and code points past U+10FFFF.
    if (lead === 0xe0 && second < 0xa0) return false
    if (lead === 0xed && second >= 0xa0) return false
    if (lead === 0xf0 && second < 0x90) return false
    if (lead === 0xf4 && second >= 0x90) return false
    i += length
  }
  return true
}

function checkText(bytes: Uint8Array): true | MediaMismatchReason {
  if (sniffMediaType(bytes)) return 'other_type'
  if (bytes.some((byte) => (byte < 0x20 && !TEXT_CONTROLS.has(byte)) || byte === 0x7f)) {
    return 'binary'
  }
  if (!isUtf8(bytes)) return 'not_utf8'
  return startsWithMarkup(bytes) ? 'markup' : true
}

const CHECKS: Record<string, Check> = {
  'image/jpeg': isJpeg,
  'image/png': isPng,
  'image/webp': isWebp,
  'image/gif': isGif,
  'audio/aac': (b) => isAdts(b, afterId3(b)) || ascii(b, 0, 4) === 'ADIF',
  'audio/amr': isAmr,
  'audio/mpeg': (b) => isId3(b) || isMpegFrame(b),
  'audio/mp4': isFtyp,
  'audio/ogg': (b) => (isOgg(b) ? isOggOpus(b) || 'not_opus' : false),
  'video/mp4': isFtyp,
  'video/3gpp': isFtyp,
  'application/pdf': isPdf,
  [DOCX]: ooxml('word'),
  [XLSX]: ooxml('excel'),
  [PPTX]: ooxml('powerpoint'),
  [OLE_TYPES.word]: ole('word'),
  [OLE_TYPES.excel]: ole('excel'),
  [OLE_TYPES.powerpoint]: ole('powerpoint'),
  'text/plain': checkText,
}

/** Every type whose content is checked (normalised names). */
export const SIGNATURE_TYPES: readonly string[] = Object.keys(CHECKS)

const OFFICE = new Set([...Object.values(OOXML_TYPES), ...Object.values(OLE_TYPES)])

/**
 * Checks `bytes` against the signature of `mimeType` (any spelling `normalizeMimeType` folds).
 * `{ok: true}` when they match; otherwise the reason. A type with no check here is
 * `unsupported_type`: the caller decides whether such a file may pass unchecked.
 */
export function checkMediaSignature(bytes: Uint8Array, mimeType: string): MediaSignatureCheck {
  const type = normalizeMimeType(mimeType)
  const check = CHECKS[type]
  if (!check) return { ok: false, reason: 'unsupported_type' }
  if (bytes.length === 0) return { ok: false, reason: 'empty' }
  const verdict = check(bytes)
  if (verdict === true) return { ok: true }
  if (verdict !== false) return { ok: false, reason: verdict }
  if (startsWithMarkup(bytes)) return { ok: false, reason: 'markup' }
  const sniffed = sniffMediaType(bytes)
  if (sniffed && sniffed !== type) return { ok: false, reason: 'other_type' }
  return { ok: false, reason: OFFICE.has(type) ? 'not_office' : 'no_signature' }
}
