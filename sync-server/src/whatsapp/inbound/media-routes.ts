/**
 * `GET /api/media/:mediaId` (behind the session): a stored file, customer's or agent's, with its
 * own Content-Type, `nosniff`, a sandboxing CSP, and `Content-Disposition: attachment` for
 * documents and for any type a browser could run. A customer's file whose content does not match
 * its type is served only as `application/octet-stream`, as an attachment. Single byte ranges are
 * honoured (audio and video seeking).
 */
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { isUuid } from '@atende/shared'
import { Hono } from 'hono'
import { ApiError } from '../../http/errors.js'
import type { AuthEnv } from '../../http/middleware/auth.js'
import type { MediaStore, ServableMedia } from '../../store/media.js'
import { mediaFile } from './media.js'

/** Types shown inline (pictures, sound, video): everything else is a download. */
const INLINE = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'video/mp4',
  'video/3gpp',
  'audio/aac',
  'audio/amr',
  'audio/mp4',
  'audio/mpeg',
  'audio/ogg',
  'audio/opus',
])
const MIME =
  /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;\s*[a-z0-9-]+=[a-z0-9-]+)*$/i

export interface MediaRouteDeps {
  store: Pick<MediaStore, 'servable'>
  /** DATA_DIR/media */
  dir: string
}

/** `attachment`/`inline` with an ASCII fallback name and the UTF-8 one. */
export function contentDisposition(
  media: Pick<ServableMedia, 'kind' | 'mimeType' | 'fileName' | 'id' | 'mismatch'>,
): string {
  const base = media.mimeType.split(';')[0]!.trim().toLowerCase()
  const inline = media.kind !== 'document' && INLINE.has(base) && !media.mismatch
  const name = media.fileName || media.id
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

function byteRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'invalid' {
  if (!header) return null
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match || (match[1] === '' && match[2] === '')) return null
  let start: number
  let end: number
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]))
    end = size - 1
  } else {
    start = Number(match[1])
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  }
  return start > end || start >= size ? 'invalid' : { start, end }
}

export function mediaRoutes(deps: MediaRouteDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()

  app.get('/:mediaId', async (c) => {
    const id = c.req.param('mediaId').toLowerCase()
    const media = isUuid(id) ? deps.store.servable(id) : undefined
    if (!media) throw new ApiError(404, 'not_found', 'No such media')
    if (media.status !== 'ready') {
      throw new ApiError(
        409,
        'media_not_ready',
        `The file is ${media.status === 'failed' ? 'not downloaded' : 'still downloading'}`,
      )
    }
    const file = media.path ? path.resolve(deps.dir, media.path) : mediaFile(deps.dir, id)
    let size: number
    try {
      size = (await fs.promises.stat(file)).size
    } catch {
      throw new ApiError(404, 'not_found', 'The file is missing')
    }
    const headers: Record<string, string> = {
      'Content-Type':
        MIME.test(media.mimeType) && !media.mismatch ? media.mimeType : 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
      'Content-Disposition': contentDisposition(media),
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Accept-Ranges': 'bytes',
    }
    const range = byteRange(c.req.header('range'), size)
    if (range === 'invalid') {
      return new Response(null, {
        status: 416,
        headers: { ...headers, 'Content-Range': `bytes */${size}` },
      })
    }
    const { start, end } = range ?? { start: 0, end: size - 1 }
    headers['Content-Length'] = String(size === 0 ? 0 : end - start + 1)
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`
    const stream =
      size === 0
        ? null
        : (Readable.toWeb(fs.createReadStream(file, { start, end })) as ReadableStream)
    return new Response(stream, { status: range ? 206 : 200, headers })
  })

  return app
}
