/**
 * Meta's side for integration tests: the fake Graph API (src/whatsapp/simulator/fake-graph.ts)
 * served standalone on 127.0.0.1, port 0, plus signed webhook delivery to a server under test.
 *
 *   const meta = await startFakeMeta()
 *   const server = await startTestServer({ env: meta.env })      // real credentials → not demo
 *   const photo = meta.addMedia(bytes, 'image/jpeg')              // a customer's media id
 *   const media = meta.media(photo)!                              // .sha256 (base64), .sha256Hex
 *   const res = await meta.webhook(server.url, meta.messages(
 *     { waId: '5511987654321', name: 'Maria' },
 *     textMessage('5511987654321', 'Olá!'),
 *     imageMessage('5511987654321', { id: photo, mime_type: 'image/jpeg', sha256: media.sha256 }),
 *   ))                                                            // signed X-Hub-Signature-256
 *   await meta.webhook(server.url, payload, { signature: null })  // unsigned; or a wrong string
 *   await meta.webhook(server.url, payload, { rawBody: '{…}' })   // exact bytes, signed as given
 *   meta.failNext(131047)                                         // next send: Graph error 131047
 *   meta.failNext(130429, { times: 3 })                           // retryable, three times
 *   meta.failNext(100, { on: 'read' | 'upload' | 'media' | 'download' })  // other calls
 *   meta.hangNext()                                               // next send accepted, never answered
 *   const [sent] = await meta.waitForSends(1)                     // {wamid, to, type, body, replyTo}
 *   await meta.webhook(server.url, meta.statuses(statusEvent(sent.wamid, 'delivered', sent.waId)))
 *   await meta.verify(server.url, { token: 'wrong' })            // the hub.challenge GET
 *   meta.reads / meta.uploads / meta.calls                        // everything recorded
 *   await meta.close()
 *
 * Media: `GET {apiBase}/{id}` answers sha256 as hex; webhooks carry base64 (accept both).
 * Sends are checked like Meta (simulator/send-rules.ts): a text over 4096 characters, an unknown
 * media id, a caption on audio or sticker, a missing `to` or `messaging_product` → code 100, HTTP 400.
 * A hung send is recorded in `sends` with `hung: true` (the customer got it; the caller never knew).
 */
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import { serve } from '@hono/node-server'
import { deliverWebhook } from '../../src/whatsapp/simulator/deliver.js'
import {
  createFakeGraph,
  type FailOptions,
  type GraphCall,
  type RecordedRead,
  type RecordedSend,
  type RecordedUpload,
  type StoredMedia,
} from '../../src/whatsapp/simulator/fake-graph.js'
import {
  messagesWebhook,
  statusesWebhook,
  type Business,
  type InboundMessage,
  type Sender,
  type StatusEvent,
  type WebhookEnvelope,
} from '../../src/whatsapp/simulator/payloads.js'

export * from '../../src/whatsapp/simulator/payloads.js'
export type { RecordedRead, RecordedSend, RecordedUpload, StoredMedia, GraphCall, FailOptions }

export interface FakeMetaOptions {
  accessToken?: string
  appSecret?: string
  verifyToken?: string
  phoneNumberId?: string
  displayPhoneNumber?: string
  wabaId?: string
  version?: string
  /** How long media download URLs work (default 5 minutes). */
  mediaUrlTtlMs?: number
}

export interface WebhookOptions {
  /** A header value instead of the right one; `null` sends the POST unsigned. */
  signature?: string | null
  /** Exact bytes to send instead of the payload's JSON (signed as given unless `signature` set). */
  rawBody?: string
}

export interface FakeMeta {
  /** e.g. `http://127.0.0.1:PORT/v25.0`, as WHATSAPP_API_BASE. */
  apiBase: string
  accessToken: string
  appSecret: string
  verifyToken: string
  phoneNumberId: string
  /** WABA id, display number and phone number id, for payload builders. */
  business: Business
  /** The WHATSAPP_* variables for `startTestServer({ env })`. */
  env: Record<string, string>
  sends: RecordedSend[]
  reads: RecordedRead[]
  uploads: RecordedUpload[]
  calls: GraphCall[]
  failNext(code: number, options?: FailOptions): void
  hangNext(options?: { times?: number; deliver?: boolean }): void
  /** Stores a customer's media; returns its id. */
  addMedia(bytes: Uint8Array, mimeType: string, fileName?: string): string
  media(id: string): StoredMedia | undefined
  onSend(listener: (send: RecordedSend) => void): () => void
  /** Resolves with `sends` once at least `n` sends were accepted (rejects after `timeoutMs`). */
  waitForSends(n: number, timeoutMs?: number): Promise<RecordedSend[]>
  /** Resolves with `reads` once at least `n` mark-reads arrived. */
  waitForReads(n: number, timeoutMs?: number): Promise<RecordedRead[]>
  /** Envelope of customer messages to this business number. */
  messages(sender: Sender | Sender[], ...messages: InboundMessage[]): WebhookEnvelope
  /** Envelope of statuses of our sends. */
  statuses(...statuses: StatusEvent[]): WebhookEnvelope
  /** Meta's verification GET: `?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`. */
  verify(
    serverUrl: string,
    options?: { token?: string; challenge?: string; mode?: string },
  ): Promise<Response>
  /** POSTs `payload` to `serverUrl + '/webhooks/whatsapp'`, signed over the exact bytes. */
  webhook(serverUrl: string, payload: unknown, options?: WebhookOptions): Promise<Response>
  close(): Promise<void>
}

const secret = (prefix: string) => prefix + randomBytes(16).toString('hex')

function waitFor<T>(items: T[], n: number, timeoutMs: number, what: string): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const poll = () => {
      if (items.length >= n) return resolve(items)
      if (Date.now() - started > timeoutMs) {
        return reject(
          new Error(`expected ${n} ${what} within ${timeoutMs} ms, got ${items.length}`),
        )
      }
      setTimeout(poll, 10)
    }
    poll()
  })
}

export async function startFakeMeta(options: FakeMetaOptions = {}): Promise<FakeMeta> {
  const accessToken = options.accessToken ?? secret('EAAG')
  const appSecret = options.appSecret ?? secret('')
  const verifyToken = options.verifyToken ?? secret('verify-')
  const phoneNumberId = options.phoneNumberId ?? '106540352242922'
  const business: Business = {
    wabaId: options.wabaId ?? '102290129340398',
    phoneNumberId,
    displayPhoneNumber: options.displayPhoneNumber ?? '15550783881',
  }
  const graph = createFakeGraph({
    accessToken,
    phoneNumberId,
    displayPhoneNumber: business.displayPhoneNumber,
    mediaUrlTtlMs: options.mediaUrlTtlMs,
  })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const listening = serve({ fetch: graph.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(listening),
    )
  })
  const { port } = server.address() as AddressInfo
  const apiBase = `http://127.0.0.1:${port}/${options.version ?? 'v25.0'}`

  return {
    apiBase,
    accessToken,
    appSecret,
    verifyToken,
    phoneNumberId,
    business,
    env: {
      WHATSAPP_API_BASE: apiBase,
      WHATSAPP_ACCESS_TOKEN: accessToken,
      WHATSAPP_PHONE_NUMBER_ID: phoneNumberId,
      WHATSAPP_APP_SECRET: appSecret,
      WHATSAPP_VERIFY_TOKEN: verifyToken,
    },
    sends: graph.sends,
    reads: graph.reads,
    uploads: graph.uploads,
    calls: graph.calls,
    failNext: graph.failNext,
    hangNext: graph.hangNext,
    addMedia: graph.addMedia,
    media: graph.media,
    onSend: graph.onSend,
    waitForSends: (n, timeoutMs = 10_000) => waitFor(graph.sends, n, timeoutMs, 'sends'),
    waitForReads: (n, timeoutMs = 10_000) => waitFor(graph.reads, n, timeoutMs, 'mark-reads'),
    messages: (sender, ...messages) => messagesWebhook(business, sender, messages),
    statuses: (...statuses) => statusesWebhook(business, statuses),
    verify(serverUrl, verifyOptions = {}) {
      const query = new URLSearchParams({
        'hub.mode': verifyOptions.mode ?? 'subscribe',
        'hub.verify_token': verifyOptions.token ?? verifyToken,
        'hub.challenge': verifyOptions.challenge ?? '1158201444',
      })
      return fetch(`${serverUrl.replace(/\/+$/, '')}/webhooks/whatsapp?${query}`)
    },
    webhook: (serverUrl, payload, webhookOptions = {}) =>
      deliverWebhook(
        `${serverUrl.replace(/\/+$/, '')}/webhooks/whatsapp`,
        payload,
        appSecret,
        webhookOptions,
      ),
    async close() {
      graph.releaseHung()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        if ('closeAllConnections' in server) server.closeAllConnections()
      })
    },
  }
}
