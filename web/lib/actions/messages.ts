import {
  appendMessage,
  clientMessageProblem,
  isUuid,
  newId,
  ORIGIN,
  type Actor,
  type AgentId,
  type AgentMessage,
  type MessageId,
  type NoteMessage,
} from '@atende/shared'
import { postRetry, postSeen, postTemplate } from '$lib/api/conversations'
import type { ConversationState } from '$lib/state/conversation.svelte'

/**
 * What an agent does in a thread, one function per intent. Replies and notes are appended to the
 * conversation doc (local-first: they work offline and sync later, exactly once, since a message is
 * identified by its id); the server sends replies to WhatsApp itself. Everything else (retry,
 * templates, attachments, "seen") is a server action over HTTP.
 */

/** Why a reply or note could not be written (the caller shows it; nothing was written). */
export class MessageRefused extends Error {
  readonly code = 'message_refused'
}

export interface Draft {
  text: string
  /** The message quoted (a reply to a specific message). */
  replyTo?: string
}

function compose<T extends AgentMessage | NoteMessage>(
  conversation: ConversationState,
  author: Actor,
  message: T,
): T {
  // The server closes the socket (4403) on a message it refuses: never send one.
  const problem = clientMessageProblem(message, author, Date.now())
  if (problem) throw new MessageRefused(problem)
  appendMessage(conversation.doc, message, ORIGIN.local)
  conversation.sync.markPending([message.id])
  return message
}

function base(author: Actor, draft: Draft) {
  return {
    id: newId<MessageId>(),
    authorId: author.id,
    text: draft.text.trim(),
    createdAt: Date.now(),
    ...(draft.replyTo && isUuid(draft.replyTo) ? { replyTo: draft.replyTo as MessageId } : {}),
  }
}

/** A reply to the customer. Shown pending until the server has it, then with its delivery ticks. */
export function sendReply(
  conversation: ConversationState,
  author: Actor,
  draft: Draft,
): AgentMessage {
  return compose(conversation, author, { ...base(author, draft), kind: 'agent' } as AgentMessage)
}

/** An internal note: the team sees it, the customer never does. Mentioned agents are notified. */
export function addNote(
  conversation: ConversationState,
  author: Actor,
  draft: Draft & { mentions?: readonly string[] },
): NoteMessage {
  const mentions = [...new Set(draft.mentions ?? [])].filter(isUuid) as AgentId[]
  return compose(conversation, author, {
    ...base(author, draft),
    kind: 'note',
    ...(mentions.length > 0 ? { mentions } : {}),
  } as NoteMessage)
}

/**
 * Sends a failed (or lost) reply again; the server resets its receipt to pending. A lost outcome
 * (`unknown`) needs `confirmDuplicate`: the agent was told the customer may get it twice.
 */
export function retry(
  conversationId: string,
  messageId: string,
  options: { confirmDuplicate?: boolean } = {},
): Promise<void> {
  return postRetry(fetch, conversationId, messageId, { confirm: options.confirmDuplicate })
}

/** Tells the server the agent has the conversation on screen (unread to zero, read receipt). */
export async function markSeen(conversationId: string): Promise<void> {
  try {
    await postSeen(fetch, conversationId)
  } catch {
    // Offline: the next open (or the next customer message) marks it.
  }
}

/** Sends a template (outside the 24-hour window); the server appends it to the thread. */
export function sendTemplate(
  conversationId: string,
  template: { name: string; language: string; params: string[] },
): Promise<void> {
  // One id per attempt: a repeated POST (a retry after a lost answer) is not sent twice.
  return postTemplate(fetch, conversationId, { ...template, clientMessageId: newId() })
}

/** Largest file an agent may attach (WhatsApp's per-type limits are checked by the server). */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

export interface AttachmentUpload {
  file: Blob
  fileName?: string
  caption?: string
  /** A voice note recorded in the app. */
  voice?: boolean
  replyTo?: string
}

export class UploadFailed extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** A `content_mismatch`'s reason (e.g. 'markup'), for the composer to word. */
    readonly reason?: string,
  ) {
    super(message)
  }
}

export interface UploadHandle {
  /** Resolves when the server has the file (and has appended the message to the thread). */
  done: Promise<void>
  abort(): void
}

/**
 * Uploads a file to POST /api/conversations/:id/attachments with progress (XMLHttpRequest: fetch
 * has no upload progress). `clientMessageId` makes a repeated upload of the same message
 * idempotent on the server.
 */
export function uploadAttachment(
  conversationId: string,
  upload: AttachmentUpload,
  onProgress: (fraction: number) => void,
): UploadHandle {
  if (upload.file.size > MAX_ATTACHMENT_BYTES) {
    return {
      done: Promise.reject(new UploadFailed(413, 'too_large', 'The file is larger than 20 MB')),
      abort() {},
    }
  }
  const form = new FormData()
  const fileName =
    upload.fileName ?? (upload.file instanceof File ? upload.file.name : 'attachment')
  form.append('file', upload.file, fileName)
  if (upload.caption?.trim()) form.append('caption', upload.caption.trim())
  if (upload.voice) form.append('voice', 'true')
  if (upload.replyTo && isUuid(upload.replyTo)) form.append('replyTo', upload.replyTo)
  form.append('clientMessageId', newId())

  const xhr = new XMLHttpRequest()
  const done = new Promise<void>((resolve, reject) => {
    xhr.open('POST', `/api/conversations/${conversationId}/attachments`)
    xhr.withCredentials = true
    xhr.setRequestHeader('accept', 'application/json')
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total)
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1)
        resolve()
        return
      }
      let code = 'unexpected'
      let message = `HTTP ${xhr.status}`
      let reason: string | undefined
      try {
        const body = JSON.parse(xhr.responseText) as {
          error?: { code?: string; message?: string; reason?: string }
        }
        code = body.error?.code ?? code
        message = body.error?.message ?? message
        reason = body.error?.reason
      } catch {
        // Not JSON: keep the status.
      }
      reject(new UploadFailed(xhr.status, code, message, reason))
    }
    xhr.onerror = () =>
      reject(new UploadFailed(0, 'unreachable', 'The server could not be reached'))
    xhr.onabort = () => reject(new UploadFailed(0, 'aborted', 'Upload cancelled'))
    xhr.send(form)
  })
  return { done, abort: () => xhr.abort() }
}
