/**
 * Journey: what real customers send beyond text, posted as Meta sends it (the Cloud API
 * reference's examples, signed), reaches the agent's screen with the right words: a customer from
 * an ad (and the contact panel says where they came from), an order with its lines and total, a
 * flow answer as a list with its raw JSON on request, a list row with its description, a poll
 * WhatsApp does not deliver, a forward; in Portuguese too; and, closed, in the ticket transcript.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { textMessage } from '../sync-server/test/helpers/fake-meta.js'
import {
  flowReplyMessage,
  forwardedText,
  listReplyWithDescription,
  orderMessage,
  REFERENCE_FLOW_RESPONSE,
  REFERENCE_ORDER,
  REFERENCE_REFERRAL,
  referralText,
  unsupportedOfType,
} from '../sync-server/test/helpers/reference-examples.js'
import { api } from './helpers.js'
import { addAgent, customerWrites, openConversation, startWorld, type World } from './world.js'

let world: World
let conversationId: string
let token: string
const ana = { name: 'Ana Souza', email: 'ana@types.atende.test', password: 'ana-password-123' }
const customer = { waId: '5511976543210', name: 'Carla Dias' }

beforeAll(async () => {
  world = await startWorld()
  token = (await addAgent(world, ana)).token
  conversationId = await customerWrites(world, token, customer, 'Hello there')
  const now = Math.floor(Date.now() / 1000)
  const response = await world.meta.webhook(
    world.server.url,
    world.meta.messages(
      customer,
      referralText(customer.waId, 'I saw your ad', REFERENCE_REFERRAL, { timestamp: now + 1 }),
      orderMessage(customer.waId, REFERENCE_ORDER, { timestamp: now + 2 }),
      flowReplyMessage(
        customer.waId,
        { response_json: REFERENCE_FLOW_RESPONSE },
        { timestamp: now + 3 },
      ),
      listReplyWithDescription(
        customer.waId,
        { id: 'slot-2', title: 'Tuesday 10:00', description: 'At the Paulista store' },
        { timestamp: now + 4 },
      ),
      unsupportedOfType(customer.waId, 'poll', { timestamp: now + 5 }),
      forwardedText(customer.waId, 'Chain letter', 'frequently_forwarded', {
        timestamp: now + 6,
      }),
      textMessage(customer.waId, 'That is all', { timestamp: now + 7 }),
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
    viewport: { width: 1400, height: 2400 },
  })

const message = (page: Page, text: string) => page.locator('article', { hasText: text })

test('each one shows what the customer did, in English', async () => {
  const page = await open()
  await message(page, 'That is all').waitFor()

  const ad = message(page, 'I saw your ad')
  const referral = ad.getByRole('complementary', { name: 'Came from an ad' })
  await referral.getByText('Summer sale: 30% off').waitFor()
  await referral.getByText('Tap to chat with us on WhatsApp').waitFor()
  expect(await referral.getByRole('link', { name: 'Open the ad' }).getAttribute('href')).toBe(
    REFERENCE_REFERRAL.source_url,
  )
  const panel = page.getByRole('complementary', { name: 'Contact', exact: true })
  expect(await panel.getByTestId('entry-source').innerText()).toBe('Ad: Summer sale: 30% off')

  const order = message(page, 'di9ozbzfi4')
  await order.getByText('From catalog 194836987003835').waitFor()
  await order.getByRole('row', { name: /nqryix03ez 1 \$25\.50 \$25\.50/ }).waitFor()
  await order.getByRole('row', { name: /Total \$85\.50/ }).waitFor()
  await order.getByText('Can you deliver on Saturday?').waitFor()

  const flow = message(page, 'Form answer')
  await flow.getByText('Full name').waitFor()
  await flow.getByText('Maria Souza').waitFor()
  await flow.getByText('2026-12-12').waitFor()
  expect(await flow.getByText('flow_token').count()).toBe(0)
  await flow.getByRole('button', { name: 'Show raw JSON' }).click()
  await flow.getByText('"flow_token": "AQAAAAACS5FpgQ_cAAAAAD0QI3s."').waitFor()
  await flow.getByRole('button', { name: 'Hide raw JSON' }).waitFor()

  const list = message(page, 'Tuesday 10:00')
  await list.getByText('Chose “Tuesday 10:00”').waitFor()
  await list.getByText('At the Paulista store').waitFor()

  await message(page, 'The customer sent a poll, which WhatsApp does not deliver to the API')
    .first()
    .waitFor()
  await message(page, 'Chain letter').getByText('Forwarded many times').waitFor()
  // Each one once.
  expect(await message(page, 'di9ozbzfi4').count()).toBe(1)
  await page.context().close()
})

test('in Portuguese, and filed into the transcript when closed', async () => {
  const page = await open('pt-BR')
  await message(page, 'That is all').waitFor()
  await message(page, 'di9ozbzfi4').getByText('Pedido', { exact: true }).waitFor()
  await message(page, 'di9ozbzfi4').getByText('Observação do cliente:').waitFor()
  await message(page, 'O cliente enviou um(a) poll, que o WhatsApp não entrega à API').waitFor()
  await message(page, 'Chain letter').getByText('Encaminhada com frequência').waitFor()
  await message(page, 'I saw your ad').getByText('Veio de um anúncio').waitFor()

  const closed = await api<{ ticketId: string }>(
    world.server,
    token,
    'POST',
    `/conversations/${conversationId}/close`,
  )
  await page.goto(`${world.server.url}/tickets/${closed.ticketId}`)
  const transcript = page.getByRole('list', { name: 'Transcrição' })
  await transcript.getByText(/Pedido: 3 itens, US\$\s?85,50/).waitFor()
  await transcript.getByText(/Resposta de formulário\s+Full name: Maria Souza/).waitFor()
  await transcript
    .getByText('O cliente enviou um(a) poll, que o WhatsApp não entrega à API')
    .waitFor()
  await transcript.getByText(/Escolheu “Tuesday 10:00” – At the Paulista store/).waitFor()
  await transcript.getByText('Encaminhada com frequência').waitFor()
  await page.context().close()
})
