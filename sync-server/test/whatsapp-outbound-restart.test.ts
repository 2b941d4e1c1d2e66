/**
 * The restart rule: kill -9 while Meta holds a send unanswered. The attempt was recorded before the
 * call, so after the restart the message shows 'unknown' (it may have reached the customer) and is
 * NOT resent, until an agent confirms a retry.
 */
import { appendMessage } from '@atende/shared'
import { afterAll, describe, expect, it } from 'vitest'
import type { TestServer } from './helpers/server.js'
import { api } from './helpers/team.js'
import {
  openConversation,
  openDoc,
  receiptIn,
  reply,
  sleep,
  startWorld,
  type World,
} from './helpers/whatsapp-outbound.js'

let world: World
afterAll(async () => {
  await world?.close() // stops the restarted server, removing its data dir
})

describe('restart while a send hangs', () => {
  it('shows the message as unknown after kill -9, never resends it silently, and resends on a confirmed retry', async () => {
    world = await startWorld()
    const { id, waId } = await openConversation(world)
    const writer = await openDoc(world, id)
    world.meta.hangNext()
    const message = reply(world.ana, 'did this go out?')
    appendMessage(writer.doc, message, 'local')
    await world.meta.waitForSends(1)
    expect(world.meta.sends.filter((send) => send.to === waId)).toHaveLength(1)
    writer.destroy()
    world.clients.length = 0
    await world.server.kill9()

    const restarted: TestServer = await world.server.restart()
    world.server = restarted
    const token = await restarted.login(`ana.souza@test.local`, 'correct horse battery')
    const reader = await openDoc(world, id, token)
    const receipt = await receiptIn(reader, message.id, ['unknown', 'sent', 'failed'])
    expect(receipt.status).toBe('unknown')
    expect(receipt.error).toMatch(/may or may not have reached the customer/)
    await sleep(1500)
    expect(world.meta.sends.filter((send) => send.to === waId)).toHaveLength(1)

    const path = `/api/conversations/${id}/messages/${message.id}/retry`
    const unconfirmed = await api<{ error: { code: string } }>(restarted, token, 'POST', path, {})
    expect(unconfirmed.status).toBe(409)
    expect(unconfirmed.body.error.code).toBe('confirm_required')
    const confirmed = await api(restarted, token, 'POST', path, { confirm: true })
    expect(confirmed.status).toBe(202)
    const sent = await receiptIn(reader, message.id, ['sent'])
    const sends = world.meta.sends.filter((send) => send.to === waId)
    expect(sends).toHaveLength(2)
    expect(sent.waMessageId).toBe(sends[1]!.wamid)
  })
})
