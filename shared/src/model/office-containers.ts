/**
 * Which Office document a container holds, read from its structure (no decompression, so it runs
 * the same in the browser and on the server). Used by `media-signature.ts`.
 *
 * OOXML (docx, xlsx, pptx) is a ZIP: the End Of Central Directory record, found by scanning back
 * from the end (past at most a 64 KiB comment), points at the central directory, whose entries
 * name every part. An OOXML package has `[Content_Types].xml`, and its main part lives under
 * `word/`, `xl/` or `ppt/`: those folder names tell the three apart.
 *
 * Legacy Office (doc, xls, ppt) is an OLE compound file: a 512-byte header, then sectors. The
 * header names the first directory sector; its 128-byte entries hold the stream names
 * (UTF-16LE): `WordDocument`, `Workbook`/`Book`, `PowerPoint Document`. Only that first
 * directory sector is read (the main stream sits among the first entries in every file Office
 * writes); a file whose first sector names none of them is still taken as Office, unknown which.
 */

export type OfficeApp = 'word' | 'excel' | 'powerpoint'

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]
const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04]
const ZIP_END = 0x06054b50
const ZIP_CENTRAL = 0x02014b50
const MAX_COMMENT = 0xffff

const u16 = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8)
const u32 = (b: Uint8Array, at: number) => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  return magic.every((value, i) => bytes[at + i] === value)
}

export const isZip = (bytes: Uint8Array) => startsWith(bytes, ZIP_LOCAL)
export const isOle = (bytes: Uint8Array) => startsWith(bytes, OLE_MAGIC)

/** The part names of a ZIP's central directory; null when it has none that can be read. */
export function zipEntryNames(bytes: Uint8Array): string[] | null {
  const lowest = Math.max(0, bytes.length - 22 - MAX_COMMENT)
  let end = -1
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (u32(bytes, at) === ZIP_END) {
      end = at
      break
    }
  }
  if (end < 0) return null
  const count = u16(bytes, end + 10)
  let at = u32(bytes, end + 16)
  const names: string[] = []
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || u32(bytes, at) !== ZIP_CENTRAL) return null
    const nameLength = u16(bytes, at + 28)
    const skip = u16(bytes, at + 30) + u16(bytes, at + 32)
    if (at + 46 + nameLength > bytes.length) return null
    names.push(latin1(bytes, at + 46, nameLength))
    at += 46 + nameLength + skip
  }
  return names
}

function latin1(bytes: Uint8Array, from: number, length: number): string {
  let text = ''
  for (let i = from; i < from + length; i++) text += String.fromCharCode(bytes[i]!)
  return text
}

const OOXML_FOLDERS: ReadonlyArray<[string, OfficeApp]> = [
  ['word/', 'word'],
  ['xl/', 'excel'],
  ['ppt/', 'powerpoint'],
]

/**
 * What an OOXML package holds: the apps whose main folder it has (one, in any real file), or
 * null when the ZIP is no OOXML package (no `[Content_Types].xml`, or no readable directory).
 */
export function ooxmlApps(bytes: Uint8Array): OfficeApp[] | null {
  const names = zipEntryNames(bytes)
  if (!names?.includes('[Content_Types].xml')) return null
  return OOXML_FOLDERS.filter(([folder]) => names.some((n) => n.startsWith(folder))).map(
    ([, app]) => app,
  )
}

const OLE_STREAMS: Record<string, OfficeApp> = {
  WordDocument: 'word',
  Workbook: 'excel',
  Book: 'excel',
  'PowerPoint Document': 'powerpoint',
}

/** The apps whose main stream the first directory sector of an OLE file names (maybe none). */
export function oleApps(bytes: Uint8Array): OfficeApp[] {
  const shift = u16(bytes, 0x1e)
  if (shift !== 9 && shift !== 12) return []
  const size = 1 << shift
  const start = (u32(bytes, 0x30) + 1) * size // sector n starts after the header's sector
  const found = new Set<OfficeApp>()
  for (let entry = start; entry + 128 <= Math.min(bytes.length, start + size); entry += 128) {
    const length = Math.min(u16(bytes, entry + 64), 64)
    let name = ''
    for (let i = 0; i + 2 < length; i += 2) name += String.fromCharCode(u16(bytes, entry + i))
    const app = OLE_STREAMS[name]
    if (app) found.add(app)
  }
  return [...found]
}
