/**
 * The per-customer cap through the real server: of a burst of replies to one customer, the first
 * DEFAULT_PER_CUSTOMER_PER_MINUTE go to Meta at once and the rest stay pending (accepted, not
 * refused), also across a kill -9 and restart, while another customer's replies are not held.
 * (Waiting out the minute itself is covered in-process, with a clock, by customer-cap.test.ts.)
 */
import { appendMessage } from '@atende/shared'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_PER_CUSTOMER_PER_MINUTE as CAP } from '../src/whatsapp/outbound/sender.js'
import {
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
afterAll(async () => {
  await world?.close()
})

const bodiesTo = (waId: string) =>
  world.meta.sends
    .filter((send) => send.to === waId)
    .map((send) => (send.body.text as { body: string }).body)

describe('per-customer cap', () => {
  it('sends the first ones of a burst, keeps the rest pending across a restart, holds no one else', async () => {
    world = await startWorld()
    const maria = await openConversation(world)
    const joao = await openConversation(world)
    const writer = await openDoc(world, maria.id)
    const burst = Array.from({ length: CAP + 2 }, (_, i) => reply(world.ana, `reply ${i}`))
    for (const message of burst) appendMessage(writer.doc, message, 'local')
    for (const message of burst.slice(0, CAP)) await receiptIn(writer, message.id, ['sent'])

    const other = await openDoc(world, joao.id)
    const forJoao = reply(world.ana, 'not held')
    appendMessage(other.doc, forJoao, 'local')
    await receiptIn(other, forJoao.id, ['sent'])

    await sleep(500)
    expect(bodiesTo(maria.waId)).toEqual(burst.slice(0, CAP).map((message) => message.text))
    for (const message of burst.slice(CAP)) expect(receiptOf(writer, message.id)).toBeUndefined()

    writer.destroy()
    other.destroy()
    world.clients.length = 0
    await world.server.kill9()
    world.server = await world.server.restart()
    const token = await world.server.login('ana.souza@test.local', 'correct horse battery')
    const reader = await openDoc(world, maria.id, token)
    await sleep(1000)
    expect(bodiesTo(maria.waId)).toHaveLength(CAP)
    for (const message of burst.slice(CAP)) expect(receiptOf(reader, message.id)).toBeUndefined()
  })
})
