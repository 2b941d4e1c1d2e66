/**
 * Replies written over y-websocket go to Meta (fake-meta) exactly once: exact body, quoted replies,
 * retries, final errors, the retry endpoint, offline bursts, notes, and the 24-hour window.
 */
import { appendMessage, readMessages, type CustomerMessage } from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, startConversation } from './helpers/team.js'
import {
  customerNumber,
  openConversation,
  openDoc,
  receiptIn,
  receiptOf,
  reply,
  sleep,
  startWorld,
  type World,
} from './helpers/whatsapp-outbound.js'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.close()
})

const sendsTo = (waId: string) => world.meta.sends.filter((send) => send.to === waId)

describe('outbound text', () => {
  it('a reply appended via y-websocket is POSTed once with the exact body and gets sent', async () => {
    const { id, waId } = await openConversation(world)
    const client = await openDoc(world, id)
    const message = reply(world.ana, 'Olá Maria, como posso ajudar?')
    appendMessage(client.doc, message, 'local')
    const receipt = await receiptIn(client, message.id, ['sent'])
    const sends = sendsTo(waId)
    expect(sends).toHaveLength(1)
    expect(sends[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: waId,
      type: 'text',
      text: { body: 'Olá Maria, como posso ajudar?' },
    })
    expect(receipt).toMatchObject({ status: 'sent', waMessageId: sends[0]!.wamid })
    const send = world.meta.calls.find((call) => call.kind === 'send')
    expect(send?.path).toBe(`/v25.0/${world.meta.phoneNumberId}/messages`)
    await sleep(300)
    expect(sendsTo(waId)).toHaveLength(1)
  })

  it('a quoted reply carries context.message_id: the customer’s wamid, or our sent wamid', async () => {
    const { id, waId, wamid } = await openConversation(world)
    const client = await openDoc(world, id)
    const customer = readMessages(client.doc).find(
      (m) => m.kind === 'customer' && (m as CustomerMessage).waMessageId === wamid,
    )!
    const first = reply(world.ana, 'Claro!', customer.id)
    appendMessage(client.doc, first, 'local')
    const sent = await receiptIn(client, first.id, ['sent'])
    const second = reply(world.ana, 'Complementando', first.id)
    appendMessage(client.doc, second, 'local')
    await receiptIn(client, second.id, ['sent'])
    const sends = sendsTo(waId)
    expect(sends.map((send) => send.body.context)).toEqual([
      { message_id: wamid },
      { message_id: sent.waMessageId },
    ])
  })

  it('notes never leave', async () => {
    const { id, waId } = await openConversation(world)
    const client = await openDoc(world, id)
    const note = { ...reply(world.ana, 'internal: customer is VIP'), kind: 'note' as const }
    appendMessage(client.doc, note, 'local')
    const after = reply(world.ana, 'visible reply')
    appendMessage(client.doc, after, 'local')
    await receiptIn(client, after.id, ['sent'])
    expect(sendsTo(waId).map((send) => (send.body.text as { body: string }).body)).toEqual([
      'visible reply',
    ])
    expect(receiptOf(client, note.id)).toBeUndefined()
  })

  it('retryable errors back off and retry; the message is sent once it goes through', async () => {
    const { id, waId } = await openConversation(world)
    const client = await openDoc(world, id)
    world.meta.failNext(130429, { times: 2 })
    const message = reply(world.ana, 'retry me')
    appendMessage(client.doc, message, 'local')
    const receipt = await receiptIn(client, message.id, ['sent', 'failed'])
    expect(receipt.status).toBe('sent')
    const attempts = world.meta.calls.filter((call) => call.kind === 'send' && call.status === 429)
    expect(attempts.length).toBeGreaterThanOrEqual(2)
    expect(sendsTo(waId)).toHaveLength(1)
  })

  it('a final error marks it failed with a readable reason; the retry endpoint sends it again', async () => {
    const { id, waId } = await openConversation(world)
    const client = await openDoc(world, id)
    world.meta.failNext(131026)
    const message = reply(world.ana, 'fail me')
    appendMessage(client.doc, message, 'local')
    const failed = await receiptIn(client, message.id, ['failed'])
    expect(failed.error).toBe('the message could not be delivered to this number')
    expect(sendsTo(waId)).toHaveLength(0)

    const path = `/api/conversations/${id}/messages/${message.id}/retry`
    const retried = await api(world.server, world.ana.token, 'POST', path)
    expect(retried.status).toBe(202)
    const sent = await receiptIn(client, message.id, ['sent'])
    expect(sendsTo(waId)).toHaveLength(1)
    expect(sent.waMessageId).toBe(sendsTo(waId)[0]!.wamid)
    // A sent message is not sent again.
    expect((await api(world.server, world.ana.token, 'POST', path)).status).toBe(409)
    const unknownMessage = await api(
      world.server,
      world.ana.token,
      'POST',
      `/api/conversations/${id}/messages/${crypto.randomUUID()}/retry`,
    )
    expect(unknownMessage.status).toBe(404)
  })

  it('messages appended offline arrive in one burst and are sent once each, in doc order', async () => {
    const { id, waId } = await openConversation(world)
    const client = await openDoc(world, id)
    client.provider.disconnect()
    const burst = Array.from({ length: 8 }, (_, i) => reply(world.ana, `offline ${i}`))
    for (const message of burst) appendMessage(client.doc, message, 'local')
    client.provider.connect()
    for (const message of burst) await receiptIn(client, message.id, ['sent'])
    await sleep(300)
    const bodies = sendsTo(waId).map((send) => (send.body.text as { body: string }).body)
    expect(bodies).toEqual(burst.map((message) => message.text))
  })

  it('free text outside the 24-hour window is refused before calling Meta', async () => {
    const waId = customerNumber()
    const id = await startConversation(world.server, world.ana.token, `+${waId}`)
    const window = await api<{ closesAt: number | null; open: boolean }>(
      world.server,
      world.ana.token,
      'GET',
      `/api/conversations/${id}/window`,
    )
    expect(window.body).toEqual({ closesAt: null, open: false })
    const client = await openDoc(world, id)
    const message = reply(world.ana, 'hello?')
    appendMessage(client.doc, message, 'local')
    const receipt = await receiptIn(client, message.id, ['failed', 'sent'])
    expect(receipt).toMatchObject({
      status: 'failed',
      error: 'outside the 24-hour window: send a template',
    })
    expect(sendsTo(waId)).toHaveLength(0)
  })

  it('exposes when the window closes', async () => {
    const { id } = await openConversation(world)
    const window = await api<{ closesAt: number; open: boolean }>(
      world.server,
      world.ana.token,
      'GET',
      `/api/conversations/${id}/window`,
    )
    expect(window.body.open).toBe(true)
    expect(window.body.closesAt - Date.now()).toBeGreaterThan(23 * 3600_000)
    expect(window.body.closesAt - Date.now()).toBeLessThanOrEqual(24 * 3600_000)
    const missing = await api(
      world.server,
      world.ana.token,
      'GET',
      `/api/conversations/${crypto.randomUUID()}/window`,
    )
    expect(missing.status).toBe(404)
  })
})
