/**
 * Deleting a conversation deletes everything of it: media rows and files (the customer's and the
 * agent's), outbox rows, the statuses and reactions of its wamids, leaving only wamid tombstones,
 * so that Meta redelivering the original webhooks brings nothing back. A send and a media download
 * in flight at the time leave nothing behind either. A proxy between the server and the fake
 * Graph API holds chosen answers to make "in flight" deterministic.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  appendMessage,
  conversationDocName,
  conversationParts,
  INBOX_DOC,
  readInbox,
  readReceipt,
  type AgentId,
  type CustomerMessage,
  type MessageId,
} from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../src/store/db.js'
import { createMediaStore } from '../src/store/media.js'
import { waitForDoc } from './helpers/clients.js'
import {
  imageMessage,
  reactionMessage,
  startFakeMeta,
  statusEvent,
  textMessage,
  type FakeMeta,
} from './helpers/fake-meta.js'
import { startHoldingProxy, type HoldingProxy } from './helpers/holding-proxy.js'
import { jpeg } from './helpers/media-samples.js'
import { startInboundWorld, type InboundWorld } from './whatsapp-inbound-helpers.js'

let meta: FakeMeta
let proxy: HoldingProxy
let world: InboundWorld
let adminId: AgentId

beforeAll(async () => {
  meta = await startFakeMeta()
  proxy = await startHoldingProxy(meta.apiBase)
  world = await startInboundWorld({ env: { WHATSAPP_API_BASE: proxy.apiBase } }, meta)
  const me = await world.server.request('/api/me', { token: world.token })
  adminId = ((await me.json()) as { user: { id: AgentId } }).user.id
})
afterAll(async () => {
  await world?.close()
  await proxy?.close()
  await meta?.close()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const mediaDir = () => path.join(world.server.dataDir, 'media')
const mediaFiles = () => (fs.existsSync(mediaDir()) ? fs.readdirSync(mediaDir()) : [])
const count = (query: string, ...params: unknown[]) =>
  world.sql<{ n: number }>(`SELECT count(*) AS n FROM ${query}`, ...params)[0]!.n
const inList = (values: readonly string[]) => JSON.stringify(values)

function reply(conversation: { doc: Parameters<typeof appendMessage>[0] }, text: string) {
  const id = crypto.randomUUID() as MessageId
  appendMessage(
    conversation.doc,
    { id, kind: 'agent', authorId: adminId, text, createdAt: Date.now() },
    'local',
  )
  return id
}

async function attach(conversationId: string, bytes: Uint8Array) {
  const form = new FormData()
  form.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), 'a.jpg')
  form.set('clientMessageId', crypto.randomUUID())
  const response = await fetch(
    `${world.server.url}/api/conversations/${conversationId}/attachments`,
    { method: 'POST', headers: { authorization: `Bearer ${world.token}` }, body: form },
  )
  expect(response.status).toBe(201)
  return ((await response.json()) as { message: { id: string; media: { mediaId: string } } })
    .message
}

/** Waits until every webhook POSTed so far is applied: a new customer's card shows up. */
async function settled(marker: string) {
  await meta.webhook(
    world.server.url,
    meta.messages({ waId: marker, name: 'Marker' }, textMessage(marker, 'marker')),
  )
  const inbox = await world.open(INBOX_DOC)
  await world.card(inbox.doc, `+${marker}`)
}

describe('deleting a conversation', () => {
  it('removes its rows and files everywhere; a redelivery brings nothing back', async () => {
    const waId = '5511970000001'
    const photo = jpeg(4096)
    const metaMediaId = meta.addMedia(photo, 'image/jpeg')
    const bundle = meta.messages(
      { waId, name: 'Deleted Customer' },
      textMessage(waId, 'oi, segue a foto'),
      imageMessage(waId, {
        id: metaMediaId,
        mime_type: 'image/jpeg',
        sha256: meta.media(metaMediaId)!.sha256,
      }),
    )
    expect((await meta.webhook(world.server.url, bundle)).status).toBe(200)
    const inbox = await world.open(INBOX_DOC)
    const conversationId = (await world.card(inbox.doc, `+${waId}`, (c) => c.unread === 2)).id
    const messages = (await world.messages(
      conversationId,
      (m) => m.length === 2,
    )) as CustomerMessage[]
    const customerMediaId = messages.find((m) => m.type === 'image')!.media!.mediaId
    const conversation = await world.open(conversationDocName(conversationId))
    await waitForDoc(
      conversation.doc,
      (doc) =>
        (conversationParts(doc).media.get(customerMediaId) as { status?: string } | undefined)
          ?.status === 'ready',
    )

    // The agent's attachment and reply go out; the reply gets statuses and a reaction.
    const attachment = await attach(conversationId, jpeg(2048))
    const replyId = reply(conversation, 'Recebido, obrigado!')
    await waitForDoc(conversation.doc, (doc) =>
      [attachment.id, replyId].every((id) => readReceipt(doc, id)?.status === 'sent'),
    )
    const replyWamid = readReceipt(conversation.doc, replyId)!.waMessageId!
    const attachmentWamid = readReceipt(conversation.doc, attachment.id)!.waMessageId!
    await meta.webhook(
      world.server.url,
      meta.statuses(
        statusEvent(replyWamid, 'delivered', waId),
        statusEvent(replyWamid, 'read', waId),
      ),
    )
    const reaction = meta.messages(
      { waId, name: 'Deleted Customer' },
      reactionMessage(waId, replyWamid, '👍'),
    )
    await meta.webhook(world.server.url, reaction)
    await waitForDoc(
      conversation.doc,
      (doc) =>
        readReceipt(doc, replyId)?.status === 'read' && conversationParts(doc).reactions.size === 1,
    )

    const wamids = [...messages.map((m) => m.waMessageId), replyWamid, attachmentWamid]
    const [contact] = world.sql<{ id: string }>('SELECT id FROM contacts WHERE wa_id = ?', waId)
    // Everything is there before the delete.
    expect(count('customer_media WHERE conversation_id = ?', conversationId)).toBe(1)
    expect(count('agent_media WHERE conversation_id = ?', conversationId)).toBe(1)
    expect(count('outbox WHERE conversation_id = ?', conversationId)).toBe(2)
    expect(count('wa_messages WHERE conversation_id = ?', conversationId)).toBe(4)
    expect(count('wa_statuses WHERE wamid = ?', replyWamid)).toBeGreaterThanOrEqual(2)
    expect(count('wa_reactions WHERE target_wamid = ?', replyWamid)).toBe(1)
    expect(mediaFiles().sort()).toEqual([customerMediaId, attachment.media.mediaId].sort())

    const deleted = await world.server.request(`/api/conversations/${conversationId}`, {
      method: 'DELETE',
      token: world.token,
    })
    expect(deleted.status).toBe(200)

    const nothingLeft = () => {
      for (const table of [
        'conversations WHERE id = ?',
        'customer_media WHERE conversation_id = ?',
        'agent_media WHERE conversation_id = ?',
        'outbox WHERE conversation_id = ?',
        'wa_messages WHERE conversation_id = ?',
        'conversation_events WHERE conversation_id = ?',
        'tickets WHERE conversation_id = ?',
      ]) {
        expect(count(table, conversationId), table).toBe(0)
      }
      const list = inList(wamids)
      expect(count('wa_statuses WHERE wamid IN (SELECT value FROM json_each(?))', list)).toBe(0)
      expect(
        count('wa_reactions WHERE target_wamid IN (SELECT value FROM json_each(?))', list),
      ).toBe(0)
      // Only tombstones: the wamid and its direction, pointing to nothing.
      expect(
        world.sql(
          `SELECT wamid, direction, conversation_id AS c, message_id AS m FROM wa_messages
           WHERE wamid IN (SELECT value FROM json_each(?)) ORDER BY wamid`,
          list,
        ),
      ).toEqual(
        wamids
          .map((wamid) => ({
            wamid,
            direction: wamid === replyWamid || wamid === attachmentWamid ? 'out' : 'in',
            c: '',
            m: '',
          }))
          .sort((a, b) => (a.wamid < b.wamid ? -1 : 1)),
      )
      expect(mediaFiles()).toEqual([])
    }
    nothingLeft()
    for (const id of [customerMediaId, attachment.media.mediaId]) {
      const media = await world.server.request(`/api/media/${id}`, { token: world.token })
      expect(media.status).toBe(404)
    }
    // The contact stays: it is the customer's, not the conversation's.
    expect(count('contacts WHERE id = ?', contact!.id)).toBe(1)

    // Meta redelivers the original webhooks: nothing comes back, no conversation opens.
    for (const payload of [
      bundle,
      meta.statuses(statusEvent(replyWamid, 'read', waId)),
      reaction,
    ]) {
      expect((await meta.webhook(world.server.url, payload)).status).toBe(200)
    }
    await settled('5511970000099')
    expect(readInbox(inbox.doc).some((card) => card.phone === `+${waId}`)).toBe(false)
    expect(count('conversations WHERE contact_id = ?', contact!.id)).toBe(0)
    nothingLeft()
  })

  it('a send and a media download in flight leave nothing behind', async () => {
    const waId = '5511970000002'
    const start = await world.server.request('/api/conversations', {
      method: 'POST',
      token: world.token,
      json: { phone: `+${waId}`, name: 'In Flight' },
    })
    const conversationId = ((await start.json()) as { conversation: { id: string } }).conversation
      .id
    const metaMediaId = meta.addMedia(jpeg(1024), 'image/jpeg')
    const download = proxy.hold((method, url) => method === 'GET' && url.endsWith(metaMediaId))
    await meta.webhook(
      world.server.url,
      meta.messages(
        { waId, name: 'In Flight' },
        imageMessage(waId, {
          id: metaMediaId,
          mime_type: 'image/jpeg',
          sha256: meta.media(metaMediaId)!.sha256,
        }),
      ),
    )
    const heldDownload = await download
    const conversation = await world.open(conversationDocName(conversationId))
    const send = proxy.hold((method, url) => method === 'POST' && url.endsWith('/messages'))
    reply(conversation, 'Já vejo a foto')
    const heldSend = await send
    const sentWamid = (JSON.parse(heldSend.body.toString()) as { messages: Array<{ id: string }> })
      .messages[0]!.id

    const deleted = await world.server.request(`/api/conversations/${conversationId}`, {
      method: 'DELETE',
      token: world.token,
    })
    expect(deleted.status).toBe(200)
    heldDownload.release()
    heldSend.release()
    await sleep(500)

    for (const table of [
      'customer_media WHERE conversation_id = ?',
      'outbox WHERE conversation_id = ?',
      'wa_messages WHERE conversation_id = ?',
    ]) {
      expect(count(table, conversationId), table).toBe(0)
    }
    expect(count('wa_messages WHERE wamid = ?', sentWamid)).toBe(0)
    expect(mediaFiles()).toEqual([])
    expect(count('conversations WHERE id = ?', conversationId)).toBe(0)
  })
})

describe('the start-up media sweep', () => {
  it('removes files no row names (past a grace period) and rows of vanished conversations', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atende-sweep-'))
    const db = openDatabase(path.join(dir, 'atende.db'))
    try {
      const store = createMediaStore(db)
      const media = path.join(dir, 'media')
      fs.mkdirSync(media)
      const live = '3b241101-e2bb-4255-8caf-4136c566a962'
      db.prepare(
        "INSERT INTO conversations (id, contact_id, status, created_at) VALUES (?, 'c', 'open', 0)",
      ).run(live)
      const row = (id: string, conversationId: string) =>
        store.insertPending(
          {
            id,
            conversationId,
            messageId: crypto.randomUUID(),
            waMediaId: 'wa',
            kind: 'image',
            mimeType: 'image/jpeg',
            fileName: null,
            sha256: null,
          },
          0,
        )
      const kept = crypto.randomUUID()
      const orphanRow = crypto.randomUUID()
      const stray = crypto.randomUUID()
      const young = crypto.randomUUID()
      row(kept, live)
      row(orphanRow, crypto.randomUUID())
      for (const name of [kept, orphanRow, stray, `${stray}.part`, young]) {
        fs.writeFileSync(path.join(media, name), 'bytes')
      }
      const old = new Date(Date.now() - 2 * 60 * 60_000)
      for (const name of [kept, orphanRow, stray, `${stray}.part`]) {
        fs.utimesSync(path.join(media, name), old, old)
      }
      const swept = await store.sweep(media, Date.now())
      expect(swept).toEqual({ rows: 1, files: 3, failed: 0 })
      expect(fs.readdirSync(media).sort()).toEqual([kept, young].sort())
      expect(store.get(kept)).toBeDefined()
      expect(store.get(orphanRow)).toBeUndefined()
    } finally {
      db.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
