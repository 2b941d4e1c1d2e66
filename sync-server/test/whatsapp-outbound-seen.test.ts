/**
 * Read receipts: opening a conversation with unread customer messages resets its unread count and
 * marks the latest one read on WhatsApp exactly once; a team setting (admins) turns that off.
 */
import { readInboxEntry } from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, waitForDoc } from './helpers/clients.js'
import { textMessage } from './helpers/fake-meta.js'
import { api } from './helpers/team.js'
import { openConversation, startWorld, type World } from './helpers/whatsapp-outbound.js'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.close()
})

async function customerWrites(waId: string, text: string): Promise<string> {
  const message = textMessage(waId, text)
  const response = await world.meta.webhook(
    world.server.url,
    world.meta.messages({ waId, name: 'Maria' }, message),
  )
  expect(response.status).toBe(200)
  return message.id
}

describe('seen', () => {
  it('resets unread and marks the latest customer message read, once', async () => {
    const { server, ana, meta } = world
    const { id, waId } = await openConversation(world)
    await customerWrites(waId, 'second')
    const latest = await customerWrites(waId, 'third')
    const inbox = connect(server.wsUrl, 'inbox', ana.token)
    world.clients.push(inbox)
    await waitForDoc(inbox.doc, (doc) => readInboxEntry(doc, id)?.unread === 3)

    const readsBefore = meta.reads.length
    const seen = await api<{ unread: number; markedRead: boolean }>(
      server,
      ana.token,
      'POST',
      `/api/conversations/${id}/seen`,
    )
    expect(seen).toEqual({ status: 200, body: { unread: 0, markedRead: true } })
    await waitForDoc(inbox.doc, (doc) => readInboxEntry(doc, id)?.unread === 0)
    expect(meta.reads.slice(readsBefore).map((read) => read.messageId)).toEqual([latest])

    const again = await api<{ markedRead: boolean }>(
      server,
      ana.token,
      'POST',
      `/api/conversations/${id}/seen`,
    )
    expect(again.body.markedRead).toBe(false)
    expect(meta.reads.length).toBe(readsBefore + 1)
  })

  it('the read-receipts setting (admins only) turns marking read off', async () => {
    const { server, admin, ana, meta } = world
    expect((await api(server, ana.token, 'GET', '/api/settings/read-receipts')).body).toEqual({
      enabled: true,
    })
    expect(
      (await api(server, ana.token, 'PUT', '/api/settings/read-receipts', { enabled: false }))
        .status,
    ).toBe(403)
    expect(
      (await api(server, admin, 'PUT', '/api/settings/read-receipts', { enabled: false })).body,
    ).toEqual({ enabled: false })

    const { id } = await openConversation(world)
    const readsBefore = meta.reads.length
    const seen = await api(server, ana.token, 'POST', `/api/conversations/${id}/seen`)
    expect(seen.body).toEqual({ unread: 0, markedRead: false })
    expect(meta.reads.length).toBe(readsBefore)
    await api(server, admin, 'PUT', '/api/settings/read-receipts', { enabled: true })
  })
})
