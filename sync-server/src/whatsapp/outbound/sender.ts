/**
 * The outbox worker. Each conversation is a lane: its queued messages go out one at a time in
 * queue order (which is doc order), the next only once the one before is settled; lanes of
 * different conversations run side by side, up to `concurrency`. A message whose retryable error
 * is backing off holds its lane, so a conversation never overtakes itself.
 *
 * Per-customer cap: Meta refuses (131056) a business that writes too fast to one customer, so at
 * most `perCustomerPerMinute` attempts (default {@link DEFAULT_PER_CUSTOMER_PER_MINUTE}, templates
 * included) go to one recipient wa_id in any rolling minute, across all of that customer's
 * conversations. The count comes from the outbox (attempts begun in the last minute), so it holds
 * across restarts. A message over the cap is neither refused nor dropped: its row stays queued and
 * holds its lane until the oldest counted attempt leaves the minute (the worker's timer is set for
 * that moment), then goes in order, exactly once. Notes never reach the outbox, so are not capped.
 *
 * One attempt: check (window, recipient, channel, cap) → upload media if any (harmless to repeat)
 * → cap again → `begin` (committed, with the recipient) → send → `sent` | back to `queued` with
 * backoff | `failed` | `unknown` (outcome lost: never resent without an agent's say). Then
 * `settle` writes the outcome into the doc as a receipt (origin 'whatsapp') and records a sent
 * message's wamid (../delivery.ts).
 */
import {
  conversationDocName,
  ORIGIN,
  readReceipt,
  type AgentMessage,
  type MediaRef,
} from '@atende/shared'
import type { Logger } from '../../log.js'
import type { ContactStore } from '../../store/contacts.js'
import type { Outbox, OutboxRow } from '../../store/outbox.js'
import { UnknownDocument, type DocManager } from '../../sync/docs.js'
import type { ChannelHolder } from '../channel.js'
import { clearReceipt, type Delivery } from '../delivery.js'
import { GraphError, type OutboundPayload } from '../graph.js'
import {
  findMessage,
  mediaPayload,
  quotedWamid,
  recipientOf,
  templatePayload,
  textPayload,
} from './payload.js'
import { createSettler } from './settle.js'
import { windowRefusal } from './window.js'

export interface BackoffPolicy {
  baseMs: number
  maxMs: number
  /** Attempts (uploads and sends) before a retryable error becomes final. */
  maxAttempts: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 6 }

/** The rolling window of the per-customer cap. */
export const CUSTOMER_WINDOW_MS = 60_000

/**
 * Agent messages (templates included) handed to Meta per customer per rolling minute. Meta limits
 * each business-customer pair on its own side (131056, retryable); staying under it keeps a burst
 * in order instead of in backoff.
 */
export const DEFAULT_PER_CUSTOMER_PER_MINUTE = 20

/** Exponential backoff after the `attempt`-th try, with jitter in [75 %, 100 %]. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling * (0.75 + 0.25 * random()))
}

/** The reason shown when Meta's answer was lost (a timeout, a dropped connection). */
export function unconfirmedNote(err: unknown): string {
  const what = err instanceof GraphError ? err.readable : 'the send did not complete'
  return `${what}: it may or may not have reached the customer (retry to send it again)`
}

export interface AttachmentFile {
  bytes: Uint8Array
  mimeType: string
  fileName: string
}

export interface SenderOptions {
  outbox: Outbox
  docs: Pick<DocManager, 'get'>
  channel: Pick<ChannelHolder, 'config' | 'client'>
  contacts: Pick<ContactStore, 'get'>
  /** The stored bytes of an agent attachment, or null when the file is gone. */
  readAttachment(media: MediaRef): Promise<AttachmentFile | null>
  /** Where a sent message's wamid is recorded. */
  delivery: Pick<Delivery, 'recordSent'>
  log: Logger
  now?: () => number
  backoff?: Partial<BackoffPolicy>
  concurrency?: number
  /** Attempts per customer (wa_id) per rolling minute (default 20, see the constant above). */
  perCustomerPerMinute?: number
  /** How long an uploaded media id is reused (Meta keeps uploads 30 days). */
  uploadTtlMs?: number
  /** False: no timers at all; the caller drives `pump()` (deterministic tests). */
  timers?: boolean
}

export interface Sender {
  /** Something may be due: pump soon. */
  wake(): void
  /** Starts a lane for every due conversation head (up to the concurrency). */
  pump(): void
  /** Writes a settled row's outcome into its doc (idempotent; start-up repairs use it too). */
  settle(messageId: string): void
  /** Resolves once no lane is running. */
  idle(): Promise<void>
  /** Stops pumping and waits (at most `timeoutMs`) for lanes in flight. */
  stop(timeoutMs?: number): Promise<void>
}

export function createSender(options: SenderOptions): Sender {
  const { outbox, docs, channel, log } = options
  const now = options.now ?? Date.now
  const policy = { ...DEFAULT_BACKOFF, ...options.backoff }
  const concurrency = options.concurrency ?? 4
  const perCustomer = Math.max(1, options.perCustomerPerMinute ?? DEFAULT_PER_CUSTOMER_PER_MINUTE)
  const uploadTtlMs = options.uploadTtlMs ?? 29 * 24 * 3600_000
  const timers = options.timers ?? true
  const active = new Set<string>()
  const lanes = new Set<Promise<void>>()
  let stopped = false
  let wakeQueued = false
  let timer: NodeJS.Timeout | null = null
  let timerAt = Infinity

  const settle = createSettler({ ...options, now })

  function fail(messageId: string, reason: string): void {
    if (outbox.finishFailed(messageId, reason, now())) settle(messageId)
  }

  /**
   * The per-customer cap: when `to` already had `perCustomer` attempts in the last minute, the row
   * waits (queued, holding its lane) until the oldest of them leaves the minute. True when held.
   */
  function heldByCap(row: OutboxRow, to: string): boolean {
    const at = now()
    const starts = outbox.attemptsTo(to, at - CUSTOMER_WINDOW_MS, at)
    if (starts.length < perCustomer) return false
    const until = starts[starts.length - perCustomer]! + CUSTOMER_WINDOW_MS
    outbox.hold(row.messageId, until, at)
    log.debug('send held by the per-customer cap', {
      messageId: row.messageId,
      conversationId: row.conversationId,
      waitMs: until - at,
    })
    return true
  }

  /** Upload errors: a retry is harmless (nothing reached the customer), so unknown ones retry too. */
  async function ensureUploaded(row: OutboxRow, media: MediaRef): Promise<string | null> {
    if (row.graphMediaId && row.uploadedAt !== null && now() - row.uploadedAt < uploadTtlMs) {
      return row.graphMediaId
    }
    const file = await options.readAttachment(media)
    if (!file) {
      fail(row.messageId, 'the attached file is missing on the server')
      return null
    }
    try {
      const blob = new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mimeType })
      const { id } = await channel.client.uploadMedia(blob, file.mimeType, file.fileName)
      outbox.setUploaded(row.messageId, id, now())
      return id
    } catch (err) {
      const final = err instanceof GraphError && !err.retryable && !err.outcomeUnknown
      const reason = err instanceof GraphError ? err.readable : 'the upload failed'
      if (final || row.attempt + 1 >= policy.maxAttempts) fail(row.messageId, reason)
      else
        outbox.backOff(
          row.messageId,
          reason,
          now() + backoffDelay(row.attempt + 1, policy),
          now(),
          true,
        )
      log.warn('media upload failed', {
        messageId: row.messageId,
        code: err instanceof GraphError ? err.code : null,
        final,
      })
      return null
    }
  }

  function afterSendError(row: OutboxRow, err: unknown): void {
    const id = row.messageId
    const code = err instanceof GraphError ? err.code : null
    if (err instanceof GraphError && !err.outcomeUnknown) {
      if (err.retryable && row.attempt < policy.maxAttempts) {
        outbox.backOff(id, err.readable, now() + backoffDelay(row.attempt, policy), now(), false)
        log.warn('send failed, retrying', { messageId: id, attempt: row.attempt, code })
        return
      }
      log.warn('send failed', { messageId: id, attempt: row.attempt, code })
      return fail(id, err.readable)
    }
    log.warn('send outcome unknown', { messageId: id, attempt: row.attempt, code })
    if (outbox.finishUnknown(id, unconfirmedNote(err), now())) settle(id)
  }

  async function attempt(row: OutboxRow): Promise<void> {
    const id = row.messageId
    const name = conversationDocName(row.conversationId)
    let shared
    try {
      shared = docs.get(name)
    } catch (err) {
      if (!(err instanceof UnknownDocument)) throw err
      outbox.finishFailed(id, 'the conversation no longer exists', now())
      return outbox.markSynced(id)
    }
    const message = findMessage(shared.doc, id)
    if (!message || message.kind !== 'agent') {
      // Only agent messages are ever sent (notes never leave); nothing to show either.
      log.warn('outbox row without an agent message dropped', { messageId: id })
      return outbox.remove(id)
    }
    const receipt = readReceipt(shared.doc, id)
    if (receipt?.status === 'failed' || receipt?.status === 'unknown') {
      clearReceipt(shared, id, ORIGIN.whatsapp) // a retry whose reset was cut short: pending again
    } else if (receipt) {
      log.warn('outbox row of a message already handed over dropped', { messageId: id })
      return outbox.remove(id)
    }
    const to = recipientOf(shared.doc, options.contacts)
    const refusal = windowRefusal(shared.doc, message, now())
    if (refusal !== null || to === null)
      return fail(id, refusal ?? 'this customer has no WhatsApp number')
    if (!channel.config) {
      outbox.backOff(id, 'no WhatsApp channel is configured', now() + policy.maxMs, now(), false)
      return
    }
    if (heldByCap(row, to)) return
    const payload = await payloadOf(row, message)
    if (!payload) return
    // The doc may have been unloaded and loaded again during the upload: read it afresh.
    const context = quotedWamid(docs.get(name).doc, message.replyTo)
    if (stopped) return // still queued: the next start sends it
    // Checked again with no await before `begin`: another lane of this customer may have begun.
    if (heldByCap(row, to)) return
    const begun = outbox.begin(id, now(), to)
    if (!begun) return
    let wamid: string
    try {
      wamid = (await channel.client.send(to, payload, context)).wamid
    } catch (err) {
      return afterSendError(begun, err)
    }
    if (outbox.finishSent(id, wamid, now())) settle(id)
    log.info('message sent', {
      messageId: id,
      conversationId: row.conversationId,
      attempt: begun.attempt,
    })
  }

  async function payloadOf(row: OutboxRow, message: AgentMessage): Promise<OutboundPayload | null> {
    if (message.template) return templatePayload(message.template)
    if (!message.media) return textPayload(message)
    const mediaId = await ensureUploaded(row, message.media)
    return mediaId ? mediaPayload(message.media, mediaId) : null
  }

  function start(row: OutboxRow): void {
    active.add(row.conversationId)
    const lane = attempt(row)
      .catch((err: unknown) => {
        log.error('sending failed unexpectedly', { messageId: row.messageId, err })
        // Still queued (the failure came before `begin`): wait before trying again. A row left
        // `sending` stays so: it becomes `unknown` at the next start, never resent silently.
        if (outbox.get(row.messageId)?.state === 'queued') {
          outbox.backOff(row.messageId, 'internal error', now() + policy.maxMs, now(), true)
        }
      })
      .finally(() => {
        active.delete(row.conversationId)
        lanes.delete(lane)
        wake()
      })
    lanes.add(lane)
  }

  function schedule(at: number): void {
    if (!timers || at === Infinity || (timer && timerAt <= at)) return
    if (timer) clearTimeout(timer)
    timerAt = at
    timer = setTimeout(
      () => {
        timer = null
        timerAt = Infinity
        pump()
      },
      Math.max(0, at - now()),
    )
    timer.unref()
  }

  function pump(): void {
    if (stopped) return
    const at = now()
    let nextDue = Infinity
    for (const head of outbox.heads()) {
      if (active.has(head.conversationId)) continue
      if (head.nextAttemptAt > at) {
        nextDue = Math.min(nextDue, head.nextAttemptAt)
        continue
      }
      if (active.size >= concurrency) break // a finishing lane pumps again
      start(head)
    }
    schedule(nextDue)
  }

  function wake(): void {
    if (!timers || wakeQueued || stopped) return
    wakeQueued = true
    setImmediate(() => {
      wakeQueued = false
      pump()
    })
  }

  return {
    wake,
    pump,
    settle,
    async idle() {
      while (lanes.size > 0) await Promise.allSettled([...lanes])
    },
    async stop(timeoutMs = 5000) {
      stopped = true
      if (timer) clearTimeout(timer)
      let cut: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.allSettled([...lanes]),
        new Promise((resolve) => (cut = setTimeout(resolve, timeoutMs))),
      ])
      clearTimeout(cut)
    },
  }
}
