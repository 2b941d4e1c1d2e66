/**
 * Customer media: downloaded at once (Meta's media ids expire after 7 days) through the two-step
 * Graph download with the bearer token, checked against the webhook's sha256 (base64, or hex),
 * written to DATA_DIR/media/<our id>, and reported in the conversation's `media` map
 * (pending → ready, or failed with the reason while retries remain). The message itself was
 * written with its MediaRef before any of this, so a failed download never loses it.
 *
 * Retries back off (RETRY_DELAYS_MS) and survive restarts: the schedule lives in
 * `customer_media.next_attempt_at`, and `start()` picks up whatever is due.
 *
 * A download whose row vanished meanwhile (its conversation was deleted) keeps no file, and
 * `start()` sweeps the directory of files no row names (see `MediaStore.sweep`).
 *
 * A file whose content does not match its declared type (an "image/jpeg" that is a web page) is
 * kept, so nothing the customer sent is lost, but marked `mismatch` in its row and its media
 * entry: the media route then serves it only as an octet-stream download.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import {
  checkMediaSignature,
  conversationDocName,
  ORIGIN,
  type MediaEntry,
  type MediaMismatchReason,
} from '@atende/shared'
import type { Logger } from '../../log.js'
import type { CustomerMediaRow, MediaStore } from '../../store/media.js'
import type { DocManager } from '../../sync/docs.js'
import { UnknownDocument } from '../../sync/docs.js'
import type { ChannelHolder } from '../channel.js'
import { GraphError } from '../graph.js'

/** Delay before each retry; after the last one the file stays `failed`. */
export const RETRY_DELAYS_MS = [
  1_000,
  5_000,
  30_000,
  2 * 60_000,
  10 * 60_000,
  60 * 60_000,
  6 * 60 * 60_000,
  24 * 60 * 60_000,
  48 * 60 * 60_000,
]
/** Downloads at a time. */
const CONCURRENCY = 4
/** WhatsApp's largest media (documents, 100 MB), with room for rounding. */
const MAX_MEDIA_BYTES = 101 * 1024 * 1024

export class MediaDownloadError extends Error {
  constructor(
    readonly code: 'sha256_mismatch' | 'too_large' | 'no_channel',
    message: string,
  ) {
    super(message)
  }
}

/** True when `bytes` hash to `expected`, given as hex or base64 (WhatsApp uses both). */
export function sha256Matches(bytes: Uint8Array, expected: string): boolean {
  const digest = createHash('sha256').update(bytes).digest()
  const given = expected.trim()
  const wanted = /^[0-9a-f]{64}$/i.test(given)
    ? Buffer.from(given, 'hex')
    : Buffer.from(given, 'base64')
  return wanted.length === digest.length && wanted.equals(digest)
}

/**
 * Why a customer's file does not match its declared type, or null when it does. A type with no
 * signature check (a document of any other kind) is not judged: it is served as a download anyway.
 */
export function contentMismatch(bytes: Uint8Array, mimeType: string): MediaMismatchReason | null {
  const check = checkMediaSignature(bytes, mimeType)
  return check.ok || check.reason === 'unsupported_type' ? null : check.reason
}

export function mediaFile(dir: string, id: string): string {
  return path.join(dir, id)
}

export interface MediaFetcherDeps {
  store: MediaStore
  docs: DocManager
  channel: ChannelHolder
  log: Logger
  /** DATA_DIR/media */
  dir: string
  retryDelaysMs?: readonly number[]
}

export function createMediaFetcher(deps: MediaFetcherDeps) {
  const { store, docs, channel, log, dir } = deps
  const delays = deps.retryDelaysMs ?? RETRY_DELAYS_MS
  const inFlight = new Map<string, Promise<void>>()
  let timer: NodeJS.Timeout | null = null
  let timerAt = Infinity
  let running = false

  function schedule(at: number): void {
    if (!running || at >= timerAt) return
    if (timer) clearTimeout(timer)
    timerAt = at
    timer = setTimeout(pump, Math.max(0, at - Date.now()))
    timer.unref()
  }

  function pump(): void {
    timer = null
    timerAt = Infinity
    if (!running) return
    const now = Date.now()
    const free = CONCURRENCY - inFlight.size
    if (free > 0) {
      for (const row of store.due(now, free + inFlight.size)) {
        if (inFlight.size >= CONCURRENCY) break
        if (!inFlight.has(row.id)) inFlight.set(row.id, download(row))
      }
    }
    // Wake for the next row not already downloading (in-flight rows still look due).
    const upcoming = store
      .due(Number.MAX_SAFE_INTEGER, inFlight.size + 1)
      .find((row) => !inFlight.has(row.id))
    if (upcoming?.nextAttemptAt != null && inFlight.size < CONCURRENCY)
      schedule(upcoming.nextAttemptAt)
  }

  async function download(row: CustomerMediaRow): Promise<void> {
    try {
      const { info, bytes } = await fetchBytes(row)
      const expected = row.sha256 ?? info.sha256
      if (expected && !sha256Matches(bytes, expected)) {
        throw new MediaDownloadError(
          'sha256_mismatch',
          'the downloaded file does not match its sha256',
        )
      }
      if (!store.get(row.id)) return // its conversation was deleted meanwhile: keep nothing
      await fs.mkdir(dir, { recursive: true })
      const file = mediaFile(dir, row.id)
      await fs.writeFile(`${file}.part`, bytes)
      await fs.rename(`${file}.part`, file)
      // Deleted while the file was being written: the deletion may have unlinked before the
      // rename, so the file goes here (no row is written back: the updates below match none).
      if (!store.get(row.id)) {
        await fs.rm(file, { force: true })
        return
      }
      if (!running) return
      const mismatch = contentMismatch(bytes, row.mimeType)
      store.markReady(row.id, bytes.byteLength, Date.now(), mismatch)
      setStatus(row, mismatch ? { status: 'ready', mismatch } : { status: 'ready' })
      if (mismatch) log.warn('media content does not match its type', { mediaId: row.id, mismatch })
      log.debug('media downloaded', { mediaId: row.id, bytes: bytes.byteLength })
    } catch (err) {
      if (!running) return
      const attempts = row.attempts + 1
      const delay = delays[attempts - 1]
      const reason = reasonOf(err)
      const nextAt = delay === undefined ? null : Date.now() + delay
      store.markFailed(row.id, reason, attempts, nextAt, Date.now())
      setStatus(row, { status: 'failed', error: reason })
      log.warn('media download failed', {
        mediaId: row.id,
        attempts,
        retryInMs: delay ?? null,
        code: err instanceof GraphError || err instanceof MediaDownloadError ? err.code : null,
      })
    } finally {
      inFlight.delete(row.id)
      if (running) pump()
    }
  }

  async function fetchBytes(row: CustomerMediaRow) {
    if (!channel.config)
      throw new MediaDownloadError('no_channel', 'no WhatsApp channel is configured')
    const result = await channel.client.downloadMedia(row.waMediaId)
    if (result.bytes.byteLength > MAX_MEDIA_BYTES) {
      throw new MediaDownloadError('too_large', 'the file is larger than WhatsApp allows')
    }
    return result
  }

  function setStatus(row: CustomerMediaRow, entry: MediaEntry): void {
    try {
      docs.get(conversationDocName(row.conversationId)).transact((doc) => {
        doc.getMap('media').set(row.id, entry)
      }, ORIGIN.whatsapp)
    } catch (err) {
      if (!(err instanceof UnknownDocument))
        log.error('media status not written', { mediaId: row.id, err })
    }
  }

  return {
    /** New downloads were queued: start them now. */
    kick(): void {
      schedule(Date.now())
    },
    start(): void {
      running = true
      schedule(Date.now())
      // Files no row names any more (a deletion whose unlink failed, a crash, a late upload).
      store.sweep(dir, Date.now()).then(
        (swept) => {
          if (swept.rows + swept.files + swept.failed > 0) log.info('media swept', { ...swept })
        },
        (err: unknown) => log.warn('media sweep failed', { code: (err as { code?: string }).code }),
      )
    },
    async stop(): Promise<void> {
      running = false
      if (timer) clearTimeout(timer)
      timer = null
      timerAt = Infinity
      // Unfinished downloads stay due in SQLite and resume at the next start.
      await Promise.race([
        Promise.allSettled(inFlight.values()),
        new Promise((r) => setTimeout(r, 2000)),
      ])
    },
  }
}

function reasonOf(err: unknown): string {
  if (err instanceof GraphError) return err.readable
  if (err instanceof MediaDownloadError) return err.message
  return 'the file could not be downloaded'
}

export type MediaFetcher = ReturnType<typeof createMediaFetcher>
