/**
 * Media held by the fake Graph API: files agents upload and files fake customers send. Ids are
 * numeric strings like Meta's; download URLs carry a short-lived token like Meta's lookaside URLs.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto'

export interface StoredMedia {
  id: string
  bytes: Uint8Array
  mimeType: string
  /** Base64, as webhooks carry it. */
  sha256: string
  sha256Hex: string
  fileName?: string
  /** Uploaded by our server (an agent's attachment) rather than sent by a customer. */
  uploaded: boolean
  at: number
}

/** Meta's per-type upload limits (WHATSAPP.md, Media). */
export function uploadLimit(mimeType: string): number {
  const MB = 1024 * 1024
  if (mimeType === 'image/webp') return 500 * 1024
  if (mimeType.startsWith('image/')) return 5 * MB
  if (mimeType.startsWith('audio/') || mimeType.startsWith('video/')) return 16 * MB
  return 100 * MB
}

export function createMediaStore(options: { urlTtlMs: number }) {
  const media = new Map<string, StoredMedia>()
  const links = new Map<string, { mediaId: string; expires: number }>()

  function newId(): string {
    let id: string
    do
      id =
        String(randomInt(1, 10)) +
        String(randomInt(0, 1e9)).padStart(9, '0') +
        String(randomInt(0, 1e6)).padStart(6, '0')
    while (media.has(id))
    return id
  }

  return {
    add(
      bytes: Uint8Array,
      mimeType: string,
      extra: { fileName?: string; uploaded?: boolean } = {},
    ): StoredMedia {
      const stored: StoredMedia = {
        id: newId(),
        bytes,
        mimeType,
        sha256: createHash('sha256').update(bytes).digest('base64'),
        sha256Hex: createHash('sha256').update(bytes).digest('hex'),
        uploaded: extra.uploaded ?? false,
        at: Date.now(),
      }
      if (extra.fileName) stored.fileName = extra.fileName
      media.set(stored.id, stored)
      return stored
    },
    get: (id: string) => media.get(id),
    has: (id: string) => media.has(id),
    /** A fresh download token for a media id, valid for `urlTtlMs`. */
    link(mediaId: string): string {
      const hash = randomBytes(18).toString('base64url')
      links.set(hash, { mediaId, expires: Date.now() + options.urlTtlMs })
      return hash
    },
    /** The media a download token points at, or null when unknown or expired. */
    resolve(mediaId: string, hash: string): StoredMedia | null {
      const link = links.get(hash)
      if (!link || link.mediaId !== mediaId) return null
      if (link.expires < Date.now()) {
        links.delete(hash)
        return null
      }
      return media.get(mediaId) ?? null
    },
    clear() {
      media.clear()
      links.clear()
    },
  }
}

export type MediaStore = ReturnType<typeof createMediaStore>
