/**
 * Real, minimal Office files for the content checks: OOXML packages as stored (uncompressed) ZIPs
 * with a central directory, and legacy Office as an OLE compound file with one stream.
 */
const encoder = new TextEncoder()

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1))
  }
  return (crc ^ 0xffffffff) >>> 0
}

const le16 = (n: number) => [n & 0xff, (n >>> 8) & 0xff]
const le32 = (n: number) => [...le16(n & 0xffff), ...le16(n >>> 16)]

/** A stored ZIP of the given parts, in order. */
export function zip(parts: Record<string, string>): Uint8Array {
  const local: number[] = []
  const central: number[] = []
  let count = 0
  for (const [name, content] of Object.entries(parts)) {
    const nameBytes = [...encoder.encode(name)]
    const data = encoder.encode(content)
    const common = [
      ...le16(20),
      ...le16(0),
      ...le16(0), // stored
      ...le16(0),
      ...le16(0x21),
      ...le32(crc32(data)),
      ...le32(data.length),
      ...le32(data.length),
      ...le16(nameBytes.length),
      ...le16(0),
    ]
    const offset = local.length
    local.push(...le32(0x04034b50), ...common, ...nameBytes, ...data)
    central.push(
      ...le32(0x02014b50),
      ...le16(20),
      ...common,
      ...le16(0),
      ...le16(0),
      ...le16(0),
      ...le32(0),
      ...le32(offset),
      ...nameBytes,
    )
    count++
  }
  const end = [
    ...le32(0x06054b50),
    ...le16(0),
    ...le16(0),
    ...le16(count),
    ...le16(count),
    ...le32(central.length),
    ...le32(local.length),
    ...le16(0),
  ]
  return new Uint8Array([...local, ...central, ...end])
}

const OOXML = {
  word: ['word/document.xml', 'wordprocessingml.document.main+xml'],
  excel: ['xl/workbook.xml', 'spreadsheetml.sheet.main+xml'],
  powerpoint: ['ppt/presentation.xml', 'presentationml.presentation.main+xml'],
} as const

/** A docx, xlsx or pptx: `[Content_Types].xml`, the package relationships and the main part. */
export function ooxml(app: keyof typeof OOXML): Uint8Array {
  const [part, type] = OOXML[app]
  return zip({
    '[Content_Types].xml':
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/' +
      `content-types"><Override PartName="/${part}" ContentType="application/` +
      `vnd.openxmlformats-officedocument.${type}"/></Types>`,
    '_rels/.rels': `<?xml version="1.0"?><Relationships><Relationship Target="${part}"/></Relationships>`,
    [part]: '<?xml version="1.0"?><root/>',
  })
}

/** A legacy Office file: OLE header, one directory sector (root entry and `stream`), no data. */
export function ole(stream: 'WordDocument' | 'Workbook' | 'PowerPoint Document'): Uint8Array {
  const bytes = new Uint8Array(512 * 3)
  bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
  bytes.set([...le16(0x3e), ...le16(3), ...le16(0xfffe), ...le16(9), ...le16(6)], 0x18)
  bytes.set(le32(1), 0x2c) // one FAT sector
  bytes.set(le32(0), 0x30) // the directory starts at sector 0
  bytes.set(le32(1), 0x4c) // the FAT is sector 1
  const entry = (index: number, name: string, type: number) => {
    const at = 512 + index * 128
    ;[...name].forEach((c, i) => bytes.set(le16(c.charCodeAt(0)), at + i * 2))
    bytes.set(le16((name.length + 1) * 2), at + 64)
    bytes[at + 66] = type
  }
  entry(0, 'Root Entry', 5)
  entry(1, stream, 2)
  bytes.set(le32(0xfffffffe), 1024) // sector 0: end of the directory chain
  bytes.set(le32(0xfffffffd), 1028) // sector 1: a FAT sector
  return bytes
}
