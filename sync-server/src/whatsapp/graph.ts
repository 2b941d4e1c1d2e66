/**
 * The Graph API as this product uses it (see ../shared/WHATSAPP.md): the one place that speaks
 * HTTP to Meta (or to the simulator, which answers the same wire format). Everything else talks to
 * the {@link WhatsAppChannel} interface, so another provider can be slotted in later.
 */
import type { WhatsAppConfig } from '../config.js'

/** Error codes worth retrying with backoff; every other Graph error is final. */
const RETRYABLE = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131056])

const READABLE: Record<number, string> = {
  131047: 'outside the 24-hour window: send a template',
  131026: 'the message could not be delivered to this number',
  131051: 'WhatsApp does not support this message type',
  133010: 'this number is not registered on WhatsApp',
  190: 'the WhatsApp access token expired: an admin must update it',
  368: 'the WhatsApp account is temporarily blocked',
  131031: 'the WhatsApp account is locked',
  132000: 'the template parameters do not match the template',
  132001: 'the template does not exist in this language',
  100: 'WhatsApp refused the request as invalid',
}

/** A failed Graph call: `code` is Meta's error code (0 for a network failure or a non-JSON answer). */
export class GraphError extends Error {
  readonly retryable: boolean
  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus: number | null,
    /** True when the request may have reached Meta (a timeout or a dropped answer). */
    readonly outcomeUnknown = false,
  ) {
    super(message)
    this.retryable = code === 0 || RETRYABLE.has(code) || (httpStatus !== null && httpStatus >= 500)
  }

  /** What an agent reads next to a failed message. */
  get readable(): string {
    return READABLE[this.code] ?? (this.message || `WhatsApp error ${this.code}`)
  }
}

export type OutboundPayload =
  | { type: 'text'; text: { body: string; preview_url?: boolean } }
  | {
      type: 'image' | 'video' | 'document' | 'sticker'
      image?: MediaObject
      video?: MediaObject
      document?: MediaObject
      sticker?: MediaObject
    }
  | { type: 'audio'; audio: MediaObject & { voice?: boolean } }
  | {
      type: 'template'
      template: {
        name: string
        language: { code: string; policy: 'deterministic' }
        components?: unknown[]
      }
    }

export interface MediaObject {
  id: string
  caption?: string
  filename?: string
}

export interface MediaInfo {
  url: string
  mime_type: string
  sha256: string
  file_size: number
  id: string
}

/** Meta's side, as the rest of the server sees it. */
export interface WhatsAppChannel {
  /** Sends one message; resolves with its wamid. `replyTo` is the wamid quoted. */
  send(to: string, payload: OutboundPayload, replyTo?: string): Promise<{ wamid: string }>
  /** Marks a customer's message as read (blue ticks on their side). */
  markRead(wamid: string): Promise<void>
  /** Uploads a file; resolves with the media id to send it by. */
  uploadMedia(file: Blob, mimeType: string, fileName: string): Promise<{ id: string }>
  /** Two-step download: the media's URL and facts, then its bytes, both with the bearer token. */
  downloadMedia(mediaId: string): Promise<{ info: MediaInfo; bytes: Uint8Array }>
  /** A cheap authenticated call, for "Test connection". */
  check(): Promise<{ displayPhoneNumber?: string; verifiedName?: string }>
}

export interface GraphClientOptions {
  config: Pick<WhatsAppConfig, 'apiBase' | 'accessToken' | 'phoneNumberId'>
  fetch?: typeof fetch
  /** Per-request timeout; a timed-out send has an unknown outcome. */
  timeoutMs?: number
}

export function createGraphClient(options: GraphClientOptions): WhatsAppChannel {
  const { apiBase, accessToken, phoneNumberId } = options.config
  const doFetch = options.fetch ?? fetch
  const timeoutMs = options.timeoutMs ?? 15_000
  const auth = { authorization: `Bearer ${accessToken}` }

  async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
    let response: Response
    try {
      response = await doFetch(url, {
        ...init,
        headers: { ...auth, ...init.headers },
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (err) {
      // Connection refused before anything was sent is safe to retry; a timeout may have been sent.
      const timedOut =
        err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
      throw new GraphError(
        0,
        timedOut ? 'WhatsApp did not answer in time' : 'WhatsApp could not be reached',
        null,
        timedOut,
      )
    }
    const text = await response.text()
    let body: unknown = null
    try {
      body = text ? JSON.parse(text) : null
    } catch {
      throw new GraphError(
        0,
        `WhatsApp answered ${response.status} with something that is not JSON`,
        response.status,
        response.ok,
      )
    }
    if (!response.ok) {
      const error = (
        body as {
          error?: { code?: number; message?: string; error_data?: { details?: string } }
        } | null
      )?.error
      throw new GraphError(
        error?.code ?? 0,
        error?.error_data?.details ?? error?.message ?? `HTTP ${response.status}`,
        response.status,
      )
    }
    return body as T
  }

  const json = (body: unknown): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

  return {
    async send(to, payload, replyTo) {
      const body = {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to,
        ...payload,
        ...(replyTo ? { context: { message_id: replyTo } } : {}),
      }
      const answer = await call<{ messages?: Array<{ id: string }> }>(
        `${apiBase}/${phoneNumberId}/messages`,
        json(body),
      )
      const wamid = answer.messages?.[0]?.id
      if (!wamid)
        throw new GraphError(0, 'WhatsApp accepted the message but returned no id', 200, true)
      return { wamid }
    },
    async markRead(wamid) {
      await call(
        `${apiBase}/${phoneNumberId}/messages`,
        json({ messaging_product: 'whatsapp', status: 'read', message_id: wamid }),
      )
    },
    async uploadMedia(file, mimeType, fileName) {
      const form = new FormData()
      form.set('messaging_product', 'whatsapp')
      form.set('type', mimeType)
      form.set('file', file, fileName)
      return call<{ id: string }>(`${apiBase}/${phoneNumberId}/media`, {
        method: 'POST',
        body: form,
      })
    },
    async downloadMedia(mediaId) {
      const info = await call<MediaInfo>(`${apiBase}/${encodeURIComponent(mediaId)}`)
      let response: Response
      try {
        response = await doFetch(info.url, {
          headers: auth,
          signal: AbortSignal.timeout(timeoutMs * 4),
        })
      } catch {
        throw new GraphError(0, 'the media download failed', null)
      }
      if (!response.ok)
        throw new GraphError(0, `the media download answered ${response.status}`, response.status)
      return { info, bytes: new Uint8Array(await response.arrayBuffer()) }
    },
    async check() {
      const answer = await call<{ display_phone_number?: string; verified_name?: string }>(
        `${apiBase}/${phoneNumberId}?fields=display_phone_number,verified_name`,
      )
      return { displayPhoneNumber: answer.display_phone_number, verifiedName: answer.verified_name }
    },
  }
}
