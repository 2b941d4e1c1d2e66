/**
 * Journey: what a customer does to the conversation afterwards, posted as Meta sends it (signed,
 * the Cloud API reference's shapes), reaches the agent's screen: an edited message reads its new
 * text, marked "Edited", with the earlier version on request; a deleted one says "Deleted by the
 * customer" and keeps what it said collapsed; a number change is a line in the thread. In
 * Portuguese, a location's card preview and transcript line are worded in Portuguese.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { locationMessage, textMessage } from '../sync-server/test/helpers/fake-meta.js'
import {
  editMessage,
  numberChangeMessage,
  revokeMessage,
} from '../sync-server/test/helpers/reference-examples.js'
import { api } from './helpers.js'
import { addAgent, customerWrites, openConversation, startWorld, type World } from './world.js'

let world: World
let conversationId: string
let token: string
const ana = { name: 'Ana Lima', email: 'ana@events.atende.test', password: 'ana-password-123' }
const customer = { waId: '5511976500001', name: 'Bruno Reis' }
const newWaId = '5511976500099'

beforeAll(async () => {
  world = await startWorld()
  token = (await addAgent(world, ana)).token
  conversationId = await customerWrites(world, token, customer, 'Hello there')
  const now = Math.floor(Date.now() / 1000)
  const { waId } = customer
  const post = async (...messages: Parameters<typeof world.meta.messages>[1][]) => {
    const response = await world.meta.webhook(
      world.server.url,
      world.meta.messages(customer, ...messages),
    )
    expect(response.status).toBe(200)
  }
  await post(
    textMessage(waId, 'See you at 2pm', { id: 'wamid.EV-1', timestamp: now + 1 }),
    editMessage(waId, 'wamid.EV-1', { text: 'See you at 3pm' }, { timestamp: now + 2 }),
    textMessage(waId, 'My card number is 4111', { id: 'wamid.EV-2', timestamp: now + 3 }),
    revokeMessage(waId, 'wamid.EV-2', { timestamp: now + 4 }),
  )
  const change = numberChangeMessage(waId, { waId: newWaId }, { timestamp: now + 5 })
  expect((await world.meta.webhook(world.server.url, world.meta.messages([], change))).status).toBe(
    200,
  )
  const moved = { ...customer, waId: newWaId }
  const response = await world.meta.webhook(
    world.server.url,
    world.meta.messages(
      moved,
      locationMessage(
        newWaId,
        { latitude: -23.56, longitude: -46.65, name: 'Loja Paulista' },
        { timestamp: now + 6 },
      ),
    ),
  )
  expect(response.status).toBe(200)
})

afterAll(() => world?.close())

const open = (locale = 'en-US'): Promise<Page> =>
  openConversation(world, conversationId, {
    agent: ana,
    customerName: customer.name,
    locale,
    viewport: { width: 1400, height: 2000 },
  })

const message = (page: Page, text: string) => page.locator('article', { hasText: text })

test('an edit, a deletion and a number change, as the agent sees them', async () => {
  const page = await open()
  const edited = message(page, 'See you at 3pm')
  await edited.getByText('Edited', { exact: true }).click()
  await edited.getByText('See you at 2pm').waitFor()
  // In place: one message, not a second one.
  expect(await page.locator('article').filter({ hasText: 'See you at' }).count()).toBe(1)

  const deleted = page.locator('article', { hasText: 'Deleted by the customer' })
  await deleted.waitFor()
  expect(await deleted.getByText('My card number is 4111').isVisible()).toBe(false)
  await deleted.getByText('Deleted by the customer').click()
  await deleted.getByText('My card number is 4111').waitFor()

  await page
    .getByText(`The customer changed their number from +${customer.waId} to +${newWaId}`)
    .waitFor()
  await page.context().close()
})

test('in Portuguese: the location preview and its transcript line', async () => {
  const page = await open('pt-BR')
  await page.locator('.preview', { hasText: 'Localização: Loja Paulista' }).waitFor()
  await message(page, 'See you at 3pm').getByText('Editada', { exact: true }).waitFor()
  await page.locator('article', { hasText: 'Apagada pelo cliente' }).waitFor()
  await page
    .getByText(`O cliente trocou de número: de +${customer.waId} para +${newWaId}`)
    .waitFor()

  const closed = await api<{ ticketId: string }>(
    world.server,
    token,
    'POST',
    `/conversations/${conversationId}/close`,
  )
  await page.goto(`${world.server.url}/tickets/${closed.ticketId}`)
  const transcript = page.getByRole('list', { name: 'Transcrição' })
  await transcript.getByText('Localização: Loja Paulista').waitFor()
  await transcript.getByText('Apagada pelo cliente').waitFor()
  await transcript
    .getByText(`O cliente trocou de número: de +${customer.waId} para +${newWaId}`)
    .waitFor()
  await page.context().close()
})
