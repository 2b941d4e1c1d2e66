/**
 * Agent attachments: `POST /conversations/:id/attachments` (multipart: file, caption?, voice?,
 * replyTo?, clientMessageId). The file is checked (type, content and size, see media-types.ts: a
 * mismatch is a 415 `content_mismatch` with its `reason`, and nothing is kept), stored under
 * DATA_DIR/media/<mediaId>, and an agent message with a MediaRef is appended in the agent's name
 * (origin 'server'); the outbox uploads it to Meta and sends it by id.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import {
  conversationParts,
  isUuid,
  newId,
  sniffMediaType,
  type AgentId,
  type AgentMessage,
  type MediaRef,
  type MessageId,
} from '@atende/shared'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { ApiError } from '../../http/errors.js'
import type { AuthEnv } from '../../http/middleware/auth.js'
import type { AgentMediaStore } from '../../store/agent-media.js'
import type { DocManager } from '../../sync/docs.js'
import {
  appendAgentMessage,
  conversationDoc,
  conversationIdOf,
  existingAgentMessage,
} from './conversation-doc.js'
import { classifyAttachment, MAX_ATTACHMENT_BYTES } from './media-types.js'
import type { MediaKind } from './payload.js'
import type { AttachmentFile } from './sender.js'
import { webmToOgg } from './webm-opus.js'

/** Room for the multipart envelope and the text fields around a 20 MB file. */
const ENVELOPE_BYTES = 64 * 1024
const MAX_CAPTION = 1024

export interface AttachmentDeps {
  docs: Pick<DocManager, 'get'>
  media: AgentMediaStore
  dataDir: string
}

export function mediaDir(dataDir: string): string {
  return path.join(dataDir, 'media')
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'audio/ogg': 'ogg',
  'audio/aac': 'aac',
  'audio/mp4': 'm4a',
  'audio/mpeg': 'mp3',
  'audio/amr': 'amr',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
}

/** A file name safe to show and to hand to WhatsApp: no path, no control characters. */
export function cleanFileName(name: string, mimeType: string, voice: boolean): string {
  const base = name
    .split(/[/\\]/)
    .pop()!
    .replace(/\p{Cc}|"/gu, '')
    .trim()
    .slice(-200)
  const extension = EXTENSIONS[mimeType]
  if (base && base !== 'blob') {
    return voice && extension ? base.replace(/\.[^.]*$/, '') + '.' + extension : base
  }
  return `${voice ? 'voice-note' : 'attachment'}${extension ? '.' + extension : ''}`
}

function summary(kind: MediaKind, voice: boolean, fileName: string): string {
  if (voice) return 'Voice message'
  return { image: 'Photo', video: 'Video', audio: 'Audio', sticker: 'Sticker', document: fileName }[
    kind
  ]
}

const field = (form: FormData, name: string) => {
  const value = form.get(name)
  return typeof value === 'string' ? value.trim() : undefined
}

/** The stored bytes of an attachment, for the sender's upload; null when the file is gone. */
export function attachmentReader(media: AgentMediaStore) {
  return async (ref: MediaRef): Promise<AttachmentFile | null> => {
    const stored = media.get(ref.mediaId)
    if (!stored) return null
    try {
      const bytes = new Uint8Array(await fs.readFile(stored.path))
      return { bytes, mimeType: stored.mimeType, fileName: stored.fileName ?? 'attachment' }
    } catch {
      return null
    }
  }
}

export function attachmentRoutes(deps: AttachmentDeps) {
  const app = new Hono<AuthEnv>()
  const inFlight = new Set<string>()
  const limit = bodyLimit({
    maxSize: MAX_ATTACHMENT_BYTES + ENVELOPE_BYTES,
    onError: () => {
      throw new ApiError(413, 'file_too_large', 'Attachments may be at most 20 MB', {
        Connection: 'close',
      })
    },
  })

  app.post('/conversations/:id/attachments', limit, async (c) => {
    const shared = conversationDoc(deps.docs, c.req.param('id'))
    const conversationId = conversationIdOf(shared)
    let form: FormData
    try {
      form = await c.req.formData()
    } catch {
      throw new ApiError(400, 'invalid_body', 'Send the file as multipart/form-data')
    }
    const file = form.get('file')
    if (!(file instanceof File)) throw new ApiError(400, 'invalid_body', 'file: is required')
    const clientMessageId = field(form, 'clientMessageId')?.toLowerCase()
    if (!isUuid(clientMessageId))
      throw new ApiError(400, 'invalid_body', 'clientMessageId: must be a uuid')
    const replyTo = field(form, 'replyTo')?.toLowerCase() || undefined
    if (replyTo !== undefined && !isUuid(replyTo))
      throw new ApiError(400, 'invalid_body', 'replyTo: must be a message id')
    const caption = field(form, 'caption') || undefined
    if (caption && caption.length > MAX_CAPTION) {
      throw new ApiError(400, 'invalid_body', `caption: must be at most ${MAX_CAPTION} characters`)
    }
    const voice = ['true', '1', 'on'].includes(field(form, 'voice') ?? '')
    if (file.size > MAX_ATTACHMENT_BYTES) {
      throw new ApiError(413, 'file_too_large', 'Attachments may be at most 20 MB')
    }

    const actor = c.get('actor')
    if (shared.messageIds.has(clientMessageId)) {
      // The same upload again (a client retry): answer with what is there, store nothing.
      return c.json({ message: existingAgentMessage(shared, clientMessageId, actor.id) }, 200)
    }
    if (inFlight.has(clientMessageId)) {
      throw new ApiError(409, 'upload_in_progress', 'This attachment is being uploaded already')
    }
    inFlight.add(clientMessageId)
    try {
      let bytes: Uint8Array = new Uint8Array(await file.arrayBuffer())
      let declared = file.type
      // Browsers (Chrome, Edge) record voice as WebM/Opus, which WhatsApp refuses: the same Opus
      // packets are rewrapped as OGG/Opus, which it plays as a voice note. Other WebM is refused.
      if (sniffMediaType(bytes) === 'video/webm') {
        const ogg = webmToOgg(bytes)
        if (ogg) {
          bytes = ogg
          declared = 'audio/ogg'
        }
      }
      const verdict = classifyAttachment(declared, bytes, voice)
      if (!verdict.ok) {
        // Nothing is stored or sent: a mismatch says why, in `reason`, for the composer to word.
        const details: Record<string, string> = verdict.reason ? { reason: verdict.reason } : {}
        throw new ApiError(verdict.status, verdict.code, verdict.message, {}, details)
      }
      if (caption && (verdict.kind === 'audio' || verdict.kind === 'sticker')) {
        throw new ApiError(
          400,
          'invalid_body',
          'caption: WhatsApp shows no caption on audio or stickers',
        )
      }
      const fileName = cleanFileName(file.name, verdict.mimeType, voice)
      // A file stored by an earlier try whose message was never appended is reused.
      const earlier = deps.media.byMessage(clientMessageId)
      const mediaId = earlier?.id ?? newId()
      const stored = earlier?.path ?? path.join(mediaDir(deps.dataDir), mediaId)
      const sha256 = createHash('sha256').update(bytes).digest('hex')
      if (!earlier) {
        await fs.mkdir(mediaDir(deps.dataDir), { recursive: true })
        await fs.writeFile(stored + '.part', bytes)
        await fs.rename(stored + '.part', stored)
        deps.media.insert({
          id: mediaId,
          conversationId,
          messageId: clientMessageId,
          mimeType: verdict.mimeType,
          fileName,
          size: bytes.length,
          sha256,
          path: stored,
          createdAt: Date.now(),
        })
      }
      const media: MediaRef = {
        mediaId,
        mimeType: verdict.mimeType,
        fileName,
        sha256,
        size: bytes.length,
        ...(caption ? { caption } : {}),
        ...(voice ? { voice: true } : {}),
        ...(verdict.animated ? { animated: true } : {}),
      }
      const message: AgentMessage = {
        id: clientMessageId as MessageId,
        kind: 'agent',
        authorId: actor.id as AgentId,
        text: caption ?? summary(verdict.kind, voice, fileName),
        createdAt: Date.now(),
        media,
        ...(replyTo ? { replyTo: replyTo as MessageId } : {}),
      }
      const appended = appendAgentMessage(shared, message, (doc) => {
        conversationParts(doc).media.set(mediaId, { status: 'ready' })
      })
      return c.json({ message: appended.message }, 201)
    } finally {
      inFlight.delete(clientMessageId)
    }
  })
  return app
}
