import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { conversationDocName } from '@atende/shared'
import { describe, expect, it } from 'vitest'
import type { WhatsAppConfig } from '../../config.js'
import { createLogger } from '../../log.js'
import { openDatabase } from '../../store/db.js'
import { createDocumentStore } from '../../store/documents.js'
import { createMediaStore } from '../../store/media.js'
import { DocManager } from '../../sync/docs.js'
import type { ChannelHolder } from '../channel.js'
import { GraphError, type WhatsAppChannel } from '../graph.js'
import { createMediaFetcher, sha256Matches } from './media.js'
import { contentDisposition } from './media-routes.js'

const quiet = createLogger('test', { write: () => {} })
const bytes = Buffer.from('a customer photo')
const hex = createHash('sha256').update(bytes).digest('hex')
const base64 = createHash('sha256').update(bytes).digest('base64')

describe('sha256Matches', () => {
  it('accepts base64 (webhooks) and hex (Graph), refuses anything else', () => {
    expect(sha256Matches(bytes, base64)).toBe(true)
    expect(sha256Matches(bytes, hex)).toBe(true)
    expect(sha256Matches(bytes, hex.toUpperCase())).toBe(true)
    expect(sha256Matches(Buffer.from('tampered'), base64)).toBe(false)
    expect(sha256Matches(bytes, 'not a hash')).toBe(false)
  })
})

describe('contentDisposition', () => {
  it('downloads documents and unsafe types, shows pictures inline', () => {
    const id = 'f0000000-0000-4000-8000-000000000001'
    expect(
      contentDisposition({ id, kind: 'image', mimeType: 'image/jpeg', fileName: null }),
    ).toMatch(/^inline/)
    expect(
      contentDisposition({ id, kind: 'document', mimeType: 'image/png', fileName: 'scan.png' }),
    ).toMatch(/^attachment; filename="scan.png"/)
    expect(
      contentDisposition({ id, kind: 'image', mimeType: 'image/svg+xml', fileName: null }),
    ).toMatch(/^attachment/)
    expect(
      contentDisposition({
        id,
        kind: 'document',
        mimeType: 'text/html',
        fileName: 'nota "fiscal".html',
      }),
    ).toBe(`attachment; filename="nota _fiscal_.html"; filename*=UTF-8''nota%20%22fiscal%22.html`)
  })
})

describe('createMediaFetcher', () => {
  const conversationId = '3b241101-e2bb-4255-8caf-4136c566a962'
  const mediaId = 'f0000000-0000-4000-8000-000000000002'

  function setup(download: WhatsAppChannel['downloadMedia']) {
    const db = openDatabase(':memory:')
    db.prepare(
      "INSERT INTO conversations (id, contact_id, status, created_at) VALUES (?, 'c', 'open', 0)",
    ).run(conversationId)
    const docs = new DocManager({ store: createDocumentStore(db), log: quiet })
    const store = createMediaStore(db)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atende-media-'))
    const channel = {
      config: {} as WhatsAppConfig,
      client: { downloadMedia: download } as WhatsAppChannel,
      demo: false,
      set() {},
    } satisfies ChannelHolder
    const fetcher = createMediaFetcher({
      store,
      docs,
      channel,
      log: quiet,
      dir,
      retryDelaysMs: [10, 10],
    })
    store.insertPending(
      {
        id: mediaId,
        conversationId,
        messageId: 'm',
        waMediaId: '777',
        kind: 'image',
        mimeType: 'image/jpeg',
        fileName: null,
        sha256: base64,
      },
      Date.now(),
    )
    const status = () =>
      docs.get(conversationDocName(conversationId)).doc.getMap('media').get(mediaId) as
        { status: string; error?: string } | undefined
    return { store, fetcher, dir, status }
  }

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++)
      await new Promise((resolve) => setTimeout(resolve, 10))
    expect(check()).toBe(true)
  }
  const info = {
    url: 'u',
    mime_type: 'image/jpeg',
    sha256: hex,
    file_size: bytes.length,
    id: '777',
  }

  it('stores a verified file and reports it ready', async () => {
    const { fetcher, store, dir, status } = setup(async () => ({
      info,
      bytes: new Uint8Array(bytes),
    }))
    fetcher.start()
    await until(() => status()?.status === 'ready')
    expect(fs.readFileSync(path.join(dir, mediaId))).toEqual(bytes)
    expect(store.get(mediaId)).toMatchObject({
      status: 'ready',
      size: bytes.length,
      attempts: 1,
      nextAttemptAt: null,
    })
    await fetcher.stop()
  })

  it('retries with backoff after a failure or a checksum mismatch, and gives up after the last', async () => {
    let calls = 0
    const { fetcher, store, status } = setup(async () => {
      calls++
      if (calls === 1) throw new GraphError(131000, 'Something went wrong', 500)
      return { info, bytes: new Uint8Array(Buffer.from('corrupted')) }
    })
    fetcher.start()
    await until(() => store.get(mediaId)!.attempts === 3)
    expect(calls).toBe(3)
    expect(status()).toEqual({
      status: 'failed',
      error: 'the downloaded file does not match its sha256',
    })
    expect(store.get(mediaId)).toMatchObject({ status: 'failed', nextAttemptAt: null })
    await fetcher.stop()
  })
})
