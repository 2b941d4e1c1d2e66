/**
 * A fake of the Graph API calls our client makes (graph.ts), answering in Meta's exact format:
 *   POST /:version/:phoneNumberId/messages   send, or mark read (`status:'read'`)
 *   POST /:version/:phoneNumberId/media      multipart upload → {id}
 *   GET  /:version/:mediaId                  → {url, mime_type, sha256 (hex), file_size, id, …}
 *   GET  /lookaside/whatsapp_business/attachments?mid=…&hash=…   the bytes (bearer required)
 *   GET  /:version/:phoneNumberId            → {display_phone_number, verified_name, id}
 * Every call needs `Authorization: Bearer <accessToken>` (else 401, code 190). State is in memory;
 * tests steer it with failNext / hangNext / addMedia and watch sends through onSend.
 */
import { checkMediaSignature } from '@atende/shared'
import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import {
  defaultHttpStatus,
  graphErrorBody,
  unknownObject,
  type GraphErrorSpec,
} from './graph-errors.js'
import { createMediaStore, uploadLimit, type StoredMedia } from './media-store.js'
import { newWamid } from './payloads.js'
import { checkSendBody, waIdOf } from './send-rules.js'

export type { StoredMedia } from './media-store.js'

export interface FakeGraphOptions {
  accessToken: string
  phoneNumberId: string
  displayPhoneNumber?: string
  verifiedName?: string
  /** How long a media download URL works (Meta: about 5 minutes). */
  mediaUrlTtlMs?: number
}

export type CallKind = 'send' | 'read' | 'upload' | 'media' | 'download' | 'phone' | 'other'

export interface GraphCall {
  kind: CallKind
  method: string
  path: string
  status: number
  at: number
}

export interface RecordedSend {
  wamid: string
  /** `to` as given, and the `wa_id` answered (its digits). */
  to: string
  waId: string
  type: string
  /** `context.message_id`: the wamid quoted, if any. */
  replyTo: string | null
  /** The whole JSON body as received. */
  body: Record<string, unknown>
  at: number
  /** Accepted but never answered (hangNext): the customer got it, our server never learnt the id. */
  hung: boolean
}

export interface RecordedRead {
  messageId: string
  typing: boolean
  at: number
}

export interface RecordedUpload {
  id: string
  mimeType: string
  fileName: string
  size: number
  sha256: string
  at: number
}

export interface FailOptions {
  /** How many calls in a row fail (default 1). */
  times?: number
  /** Default: the status Meta uses for that code (190 → 401, 130429 → 429, 131000 → 500, else 400). */
  httpStatus?: number
  message?: string
  details?: string
  /** Which calls fail (default 'send'); 'media' is the info step, 'download' the bytes. */
  on?: 'send' | 'read' | 'upload' | 'media' | 'download'
}

export interface FakeGraph {
  app: Hono
  readonly calls: GraphCall[]
  readonly sends: RecordedSend[]
  readonly reads: RecordedRead[]
  readonly uploads: RecordedUpload[]
  /** The next `times` calls of a kind (default sends) answer this Graph error. */
  failNext(code: number, options?: FailOptions): void
  /** The next `times` sends are accepted (recorded, onSend fires unless `deliver:false`) but never answered. */
  hangNext(options?: { times?: number; deliver?: boolean }): void
  /** Stores bytes as a customer's media; returns the media id (for a webhook's media object). */
  addMedia(bytes: Uint8Array, mimeType: string, fileName?: string): string
  media(id: string): StoredMedia | undefined
  send(wamid: string): RecordedSend | undefined
  /** Called for every accepted send (including hung ones); returns an unsubscribe. */
  onSend(listener: (send: RecordedSend) => void): () => void
  onRead(listener: (read: RecordedRead) => void): () => void
  /** Answers every hung request (500) so servers can close. */
  releaseHung(): void
}

type Failure = Required<Pick<FailOptions, 'httpStatus'>> & GraphErrorSpec

export function createFakeGraph(options: FakeGraphOptions): FakeGraph {
  const { accessToken, phoneNumberId } = options
  const store = createMediaStore({ urlTtlMs: options.mediaUrlTtlMs ?? 5 * 60_000 })
  const calls: GraphCall[] = []
  const sends: RecordedSend[] = []
  const reads: RecordedRead[] = []
  const uploads: RecordedUpload[] = []
  const byWamid = new Map<string, RecordedSend>()
  const failures: Record<NonNullable<FailOptions['on']>, Failure[]> = {
    send: [],
    read: [],
    upload: [],
    media: [],
    download: [],
  }
  const hangs: Array<{ deliver: boolean }> = []
  const hung = new Set<() => void>()
  const sendListeners = new Set<(send: RecordedSend) => void>()
  const readListeners = new Set<(read: RecordedRead) => void>()

  const fail = (c: Context, spec: GraphErrorSpec, status = defaultHttpStatus(spec.code)) =>
    c.json(graphErrorBody(spec), status as ContentfulStatusCode)
  const emit = <T>(listeners: Set<(value: T) => void>, value: T) => {
    for (const listener of listeners) {
      try {
        listener(value)
      } catch {
        // A listener's bug must not change what the fake answers.
      }
    }
  }
  const takeFailure = (kind: keyof typeof failures, c: Context) => {
    const failure = failures[kind].shift()
    return failure ? fail(c, failure, failure.httpStatus) : null
  }

  // A mark-read posts to the same path as a send: the handler says which it was.
  const kinds = new WeakMap<Request, CallKind>()
  const app = new Hono()
  app.use('*', async (c, next) => {
    // Recorded on arrival (status 0 until answered), so a hung call shows up at once.
    const call: GraphCall = {
      kind: callKind(c.req.method, c.req.path, phoneNumberId),
      method: c.req.method,
      path: c.req.path,
      status: 0,
      at: Date.now(),
    }
    calls.push(call)
    const token = c.req.header('authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1]
    if (token !== accessToken) {
      call.status = 401
      return fail(c, {
        code: 190,
        message: token
          ? 'Invalid OAuth access token - Cannot parse access token'
          : 'An active access token must be used to query information about the current user.',
      })
    }
    await next()
    call.kind = kinds.get(c.req.raw) ?? call.kind
    call.status = c.res.status
  })

  app.get('/lookaside/whatsapp_business/attachments', (c) => {
    const failed = takeFailure('download', c)
    if (failed) return failed
    const stored = store.resolve(c.req.query('mid') ?? '', c.req.query('hash') ?? '')
    if (!stored) return c.text('URL signature expired', 404)
    return c.body(stored.bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': stored.mimeType,
      'content-length': String(stored.bytes.byteLength),
    })
  })

  app.post('/:version/:phoneNumberId/messages', async (c) => {
    if (c.req.param('phoneNumberId') !== phoneNumberId)
      return fail(c, unknownObject('POST', c.req.param('phoneNumberId')))
    const body: unknown = await c.req.json().catch(() => undefined)
    const check = checkSendBody(body, (id) => store.has(id))
    if (!check.ok) return fail(c, check.rejection)
    const request = check.request
    if (request.kind === 'read') {
      kinds.set(c.req.raw, 'read')
      const failed = takeFailure('read', c)
      if (failed) return failed
      const read: RecordedRead = {
        messageId: request.messageId,
        typing: request.typing,
        at: Date.now(),
      }
      reads.push(read)
      emit(readListeners, read)
      return c.json({ success: true })
    }
    const failed = takeFailure('send', c)
    if (failed) return failed
    const hang = hangs.shift()
    const send: RecordedSend = {
      wamid: newWamid(request.to),
      to: request.to,
      waId: waIdOf(request.to),
      type: request.type,
      replyTo: request.replyTo,
      body: request.message,
      at: Date.now(),
      hung: hang !== undefined,
    }
    if (!hang || hang.deliver) {
      sends.push(send)
      byWamid.set(send.wamid, send)
      emit(sendListeners, send)
    }
    if (hang) {
      await new Promise<void>((resolve) => hung.add(resolve))
      return fail(c, { code: 1, message: 'The server closed before answering' }, 500)
    }
    return c.json({
      messaging_product: 'whatsapp',
      contacts: [{ input: send.to, wa_id: send.waId }],
      messages: [{ id: send.wamid }],
    })
  })

  app.post('/:version/:phoneNumberId/media', async (c) => {
    if (c.req.param('phoneNumberId') !== phoneNumberId)
      return fail(c, unknownObject('POST', c.req.param('phoneNumberId')))
    const form = await c.req.parseBody().catch(() => null)
    if (!form) return fail(c, { code: 100, details: 'The request must be multipart/form-data.' })
    if (form.messaging_product !== 'whatsapp')
      return fail(c, { code: 100, message: '(#100) The parameter messaging_product is required.' })
    const file = form.file
    if (!(file instanceof File))
      return fail(c, { code: 100, message: '(#100) The parameter file is required.' })
    const mimeType = typeof form.type === 'string' && form.type ? form.type : file.type
    if (!mimeType) return fail(c, { code: 100, message: '(#100) The parameter type is required.' })
    const failed = takeFailure('upload', c)
    if (failed) return failed
    if (file.size > uploadLimit(mimeType)) {
      return fail(c, { code: 131053, details: `Media file size too big for ${mimeType}.` })
    }
    const bytes = new Uint8Array(await file.arrayBuffer())
    // Meta checks the content against the type too (the same shared sniffer stands in for it).
    const signature = checkMediaSignature(bytes, mimeType)
    if (!signature.ok && signature.reason !== 'unsupported_type') {
      return fail(c, {
        code: 131053,
        details: `The file's content does not match ${mimeType} (${signature.reason}).`,
      })
    }
    const stored = store.add(bytes, mimeType, { fileName: file.name, uploaded: true })
    uploads.push({
      id: stored.id,
      mimeType,
      fileName: file.name,
      size: bytes.byteLength,
      sha256: stored.sha256,
      at: stored.at,
    })
    return c.json({ id: stored.id })
  })

  app.get('/:version/:id', (c) => {
    const { version, id } = c.req.param()
    if (id === phoneNumberId) {
      const all: Record<string, string> = {
        verified_name: options.verifiedName ?? 'Atende Demo',
        display_phone_number: options.displayPhoneNumber ?? '+55 11 4000-0000',
        quality_rating: 'GREEN',
        code_verification_status: 'VERIFIED',
      }
      const fields = c.req
        .query('fields')
        ?.split(',')
        .map((field) => field.trim())
      const answer: Record<string, string> = {}
      for (const [key, value] of Object.entries(all))
        if (!fields || fields.includes(key)) answer[key] = value
      return c.json({ ...answer, id })
    }
    const failed = takeFailure('media', c)
    if (failed) return failed
    const stored = store.get(id)
    if (!stored) return fail(c, unknownObject('GET', id))
    const url = new URL(c.req.url)
    const prefix = c.req.path.slice(0, c.req.path.length - `/${version}/${id}`.length)
    const link = `${url.origin}${prefix}/lookaside/whatsapp_business/attachments?mid=${id}&ext=${Math.floor(Date.now() / 1000)}&hash=${store.link(id)}`
    return c.json({
      url: link,
      mime_type: stored.mimeType,
      sha256: stored.sha256Hex,
      file_size: stored.bytes.byteLength,
      id,
      messaging_product: 'whatsapp',
    })
  })

  app.all('*', (c) =>
    fail(
      c,
      { code: 100, message: `Unknown path components: ${c.req.path}`, type: 'OAuthException' },
      400,
    ),
  )

  return {
    app,
    calls,
    sends,
    reads,
    uploads,
    failNext(code, fail = {}) {
      const failure: Failure = {
        code,
        httpStatus: fail.httpStatus ?? defaultHttpStatus(code),
        message: fail.message,
        details: fail.details,
      }
      for (let i = 0; i < (fail.times ?? 1); i++) failures[fail.on ?? 'send'].push(failure)
    },
    hangNext(hang = {}) {
      for (let i = 0; i < (hang.times ?? 1); i++) hangs.push({ deliver: hang.deliver ?? true })
    },
    addMedia: (bytes, mimeType, fileName) => store.add(bytes, mimeType, { fileName }).id,
    media: (id) => store.get(id),
    send: (wamid) => byWamid.get(wamid),
    onSend(listener) {
      sendListeners.add(listener)
      return () => sendListeners.delete(listener)
    },
    onRead(listener) {
      readListeners.add(listener)
      return () => readListeners.delete(listener)
    },
    releaseHung() {
      for (const resolve of hung) resolve()
      hung.clear()
    },
  }
}

function callKind(method: string, path: string, phoneNumberId: string): CallKind {
  if (path.endsWith('/lookaside/whatsapp_business/attachments')) return 'download'
  if (method === 'POST' && path.endsWith(`/${phoneNumberId}/media`)) return 'upload'
  if (method === 'POST' && path.endsWith(`/${phoneNumberId}/messages`)) return 'send'
  if (method === 'GET' && path.endsWith(`/${phoneNumberId}`)) return 'phone'
  if (method === 'GET') return 'media'
  return 'other'
}
