/**
 * Status webhooks against the real server and the real outbound side: receipts move forward only,
 * `failed` carries a readable reason, and a status that overtakes its send (Meta has the wamid, we
 * do not yet) is kept and applied once the send records it. A proxy between our server and the
 * fake Graph API holds the send's answer to make that overtaking deterministic.
 */
import {
  appendMessage,
  conversationDocName,
  INBOX_DOC,
  readReceipt,
  type AgentId,
  type MessageId,
  type Receipt,
} from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitForDoc, type SyncClient } from './helpers/clients.js'
import {
  reactionMessage,
  startFakeMeta,
  statusEvent,
  textMessage,
  type FakeMeta,
} from './helpers/fake-meta.js'
import { startHoldingProxy, type HoldingProxy } from './helpers/holding-proxy.js'
import { startInboundWorld, type InboundWorld } from './whatsapp-inbound-helpers.js'

let meta: FakeMeta
let proxy: HoldingProxy
let world: InboundWorld
let agentId: AgentId
let conversation: SyncClient
const waId = '5511990000001'

beforeAll(async () => {
  meta = await startFakeMeta()
  proxy = await startHoldingProxy(meta.apiBase)
  world = await startInboundWorld({ env: { WHATSAPP_API_BASE: proxy.apiBase } }, meta)
  const me = await world.server.request('/api/me', { token: world.token })
  agentId = ((await me.json()) as { user: { id: AgentId } }).user.id
  await meta.webhook(
    world.server.url,
    meta.messages({ waId, name: 'Status Customer' }, textMessage(waId, 'oi')),
  )
  const inbox = await world.open(INBOX_DOC)
  const card = await world.card(inbox.doc, `+${waId}`)
  conversation = await world.open(conversationDocName(card.id))
})
afterAll(async () => {
  await world?.close()
  await proxy?.close()
  await meta?.close()
})

function reply(text: string): MessageId {
  const id = crypto.randomUUID() as MessageId
  appendMessage(
    conversation.doc,
    { id, kind: 'agent', authorId: agentId, text, createdAt: Date.now() },
    'local',
  )
  return id
}

async function receipt(
  messageId: string,
  predicate: (receipt: Receipt) => boolean,
): Promise<Receipt> {
  await waitForDoc(conversation.doc, (doc) => {
    const current = readReceipt(doc, messageId)
    return current !== undefined && predicate(current)
  })
  return readReceipt(conversation.doc, messageId)!
}

const status = (
  wamid: string,
  name: 'sent' | 'delivered' | 'read' | 'failed' | 'played',
  options = {},
) => meta.webhook(world.server.url, meta.statuses(statusEvent(wamid, name, waId, options)))

describe('status webhooks', () => {
  it('a status that arrives before the send recorded its wamid is applied once it is', async () => {
    const held = proxy.holdNextSend()
    const messageId = reply('Olá! Como posso ajudar?')
    const { wamid, release } = await held
    expect((await status(wamid, 'delivered')).status).toBe(200)
    await expect
      .poll(() =>
        world.sql<{ applied: number }>('SELECT applied FROM wa_statuses WHERE wamid = ?', wamid),
      )
      .toEqual([{ applied: 0 }])
    expect(readReceipt(conversation.doc, messageId)?.status).not.toBe('delivered')
    release()
    expect(await receipt(messageId, (r) => r.status === 'delivered')).toMatchObject({
      status: 'delivered',
      waMessageId: wamid,
    })
    await expect
      .poll(() =>
        world.sql<{ applied: number }>('SELECT applied FROM wa_statuses WHERE wamid = ?', wamid),
      )
      .toEqual([{ applied: 1 }])
  })

  it('receipts move forward only: a late delivered after read changes nothing; redelivery is a no-op', async () => {
    const messageId = reply('Seu pedido saiu para entrega')
    const sent = await receipt(messageId, (r) => r.status === 'sent')
    const wamid = sent.waMessageId!
    expect((await status(wamid, 'read')).status).toBe(200)
    const read = await receipt(messageId, (r) => r.status === 'read')
    for (const late of ['delivered', 'sent', 'read'] as const)
      expect((await status(wamid, late)).status).toBe(200)
    expect((await status(wamid, 'failed')).status).toBe(200)
    // Give the server the time to (not) apply them, then check nothing moved.
    await meta.webhook(
      world.server.url,
      meta.messages({ waId, name: 'Status Customer' }, textMessage(waId, 'barrier')),
    )
    await waitForDoc(conversation.doc, (doc) =>
      doc
        .getArray('messages')
        .toArray()
        .some((m) => (m as { text: string }).text === 'barrier'),
    )
    // The status stays `read` (a late status may still fill in the billing facts it carries).
    expect(readReceipt(conversation.doc, messageId)).toMatchObject(read)
  })

  it('failed carries the readable reason for a known error code', async () => {
    const messageId = reply('Promoção só hoje')
    const sent = await receipt(messageId, (r) => r.status === 'sent')
    const errors = [
      {
        code: 131047,
        title: 'Re-engagement message',
        message: 'Re-engagement message',
        error_data: { details: 'Message failed to send because more than 24 hours have passed.' },
      },
    ]
    expect((await status(sent.waMessageId!, 'failed', { errors })).status).toBe(200)
    expect(await receipt(messageId, (r) => r.status === 'failed')).toMatchObject({
      status: 'failed',
      error: 'outside the 24-hour window: send a template',
    })
  })

  it('a customer reaction to an agent message attaches to it', async () => {
    const messageId = reply('Pode avaliar nosso atendimento?')
    const sent = await receipt(messageId, (r) => r.status === 'sent')
    await meta.webhook(
      world.server.url,
      meta.messages(
        { waId, name: 'Status Customer' },
        reactionMessage(waId, sent.waMessageId!, '🙏'),
      ),
    )
    await waitForDoc(conversation.doc, (doc) =>
      [...doc.getMap('reactions').values()].some(
        (r) => (r as { messageId: string }).messageId === messageId,
      ),
    )
    const [entry] = [...conversation.doc.getMap('reactions').values()].filter(
      (r) => (r as { messageId: string }).messageId === messageId,
    )
    expect(entry).toMatchObject({ messageId, emoji: '🙏' })
  })
})
