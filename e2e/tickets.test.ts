/**
 * Journey: tickets. Ana creates a ticket from the conversation's header (its dialog's fields left
 * as they are), sends its protocol number to the customer in one click (it reaches the fake Meta
 * like any reply), finds the ticket in the list (status New, assigned to her) with the filters,
 * opens its read-only transcript and moves its status on, which the events show. Then she gives
 * two more tickets a subject and a priority, and the list shows, filters and sorts by them.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { FakeMeta } from '../sync-server/test/helpers/fake-meta.js'
import { openPage, signInThroughForm, type TestServer } from './helpers.js'
import {
  addAgent,
  conversationActions,
  createTicket,
  customerWrites,
  startWorld,
  type World,
} from './world.js'

let world: World
let meta: FakeMeta
let server: TestServer
let browser: Browser
const ana = { name: 'Ana Souza', email: 'ana@e2e.atende.test', password: 'ana-password-123' }
const customer = { waId: '5511987654321', name: 'Maria Silva' }
let conversationId: string
let anaToken: string

beforeAll(async () => {
  world = await startWorld()
  ;({ meta, server, browser } = world)
  anaToken = (await addAgent(world, ana)).token
  // The customer writes: the 24-hour window opens, so the protocol number may be sent.
  conversationId = await customerWrites(world, anaToken, customer, 'Preciso de um protocolo')
})

afterAll(() => world?.close())

const actions = conversationActions

test('create a ticket, send its protocol number, find it in the list, read and move it on', async () => {
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server, undefined, ana)
  await page.goto(`${server.url}/inbox/${conversationId}`)
  await page.getByText('Preciso de um protocolo').first().waitFor()

  // Create, keeping the defaults: the header shows the ticket's number.
  await createTicket(page)
  const link = actions(page).getByRole('link', { name: /^Ticket #\d{8}-\d{4}$/ })
  await link.waitFor()
  const number = (await link.textContent())!.trim().replace('Ticket #', '')
  await page.getByText(`Ticket #${number} created`).waitFor()

  // One click sends the protocol number: it shows in the thread and reaches the customer.
  await actions(page).getByRole('button', { name: 'More actions' }).click()
  await actions(page).getByRole('menuitem', { name: 'Send protocol number' }).click()
  const text = `Your protocol number is #${number}`
  await page.getByRole('region', { name: 'Messages' }).getByText(text).waitFor()
  const sends = await meta.waitForSends(1)
  expect(sends[0]).toMatchObject({
    to: customer.waId,
    type: 'text',
    body: { text: { body: text } },
  })

  // The list: status New, assigned to Ana; the filters narrow it.
  await page.goto(`${server.url}/tickets`)
  const table = page.getByRole('table', { name: 'Ticket list' })
  const row = table.getByRole('row', { name: new RegExp(`#${number}`) })
  await row.waitFor()
  expect(await row.getByText('New', { exact: true }).isVisible()).toBe(true)
  expect(await row.getByText(ana.name).isVisible()).toBe(true)
  expect(await row.getByText(customer.name).isVisible()).toBe(true)

  await page.getByLabel('Status').selectOption('pending')
  await page.getByText('No tickets match these filters.').waitFor()
  await page.getByLabel('Status').selectOption('')
  await page.getByLabel('Assignee').selectOption('me')
  await row.waitFor()
  await page.getByLabel('Search').fill('nobody-like-this')
  await page.getByText('No tickets match these filters.').waitFor()
  await page.getByLabel('Search').fill(number)
  await row.waitFor()
  expect(new URL(page.url()).searchParams.get('q')).toBe(number)

  // The ticket: the conversation so far, its events; the status moves on with an event.
  await row.getByRole('link', { name: `#${number}` }).click()
  await page.getByRole('heading', { name: `Ticket #${number}`, level: 1 }).waitFor()
  const transcript = page.getByRole('list', { name: 'Transcript' })
  await transcript.getByText('Preciso de um protocolo').waitFor()
  await transcript.getByText(text).waitFor()
  const events = page.getByRole('list', { name: 'Events' })
  await events.getByText('Ana Souza created the ticket').waitFor()
  await page.getByRole('link', { name: 'Open the conversation' }).waitFor()

  await page.getByLabel('Status').selectOption('pending')
  await events.getByText('Ana Souza set the status to Pending').waitFor()
  await page.locator('[data-status="pending"]').waitFor()
  await context.close()
})

test('a subject and a priority: given at creation, shown, filtered and sorted in the list', async () => {
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server, undefined, ana)
  const numbers: Record<string, string> = {}
  for (const [waId, name, subject, priority] of [
    ['5511911110001', 'Helena Dias', 'Boleto em dobro', 'urgent'],
    ['5511911110002', 'Otávio Reis', 'Troca de tamanho', 'low'],
  ] as const) {
    const id = await customerWrites(world, anaToken, { waId, name }, `Olá, sou ${name}`)
    await page.goto(`${server.url}/inbox/${id}`)
    await page.getByText(`Olá, sou ${name}`).first().waitFor()
    await createTicket(page, { subject, priority })
    const link = actions(page).getByRole('link', { name: /^Ticket #\d{8}-\d{4}$/ })
    numbers[priority] = (await link.textContent())!.trim().replace('Ticket #', '')
  }

  await page.goto(`${server.url}/tickets`)
  const table = page.getByRole('table', { name: 'Ticket list' })
  const urgent = table.getByRole('row', { name: new RegExp(`#${numbers.urgent}`) })
  await urgent.getByText('Boleto em dobro').waitFor()
  await urgent.getByText('Urgent', { exact: true }).waitFor()
  const low = table.getByRole('row', { name: new RegExp(`#${numbers.low}`) })
  await low.getByText('Troca de tamanho').waitFor()
  await low.getByText('Low', { exact: true }).waitFor()
  // The first ticket was left as it was: no subject, normal.
  await table
    .getByRole('row', { name: /No subject/ })
    .getByText('Normal')
    .waitFor()

  // Newest first: the low one (made last) on top; most urgent first puts the urgent one there.
  const firstNumber = () => table.getByRole('row').nth(1).getByRole('link').textContent()
  await expect.poll(firstNumber).toBe(`#${numbers.low}`)
  await page.getByLabel('Sort by').selectOption('priority')
  await expect.poll(firstNumber).toBe(`#${numbers.urgent}`)
  expect(new URL(page.url()).searchParams.get('sort')).toBe('priority')

  await page.getByLabel('Priority').selectOption('low')
  await urgent.waitFor({ state: 'detached' })
  expect(await table.getByRole('row').count()).toBe(2) // the header and the low one
  await low.waitFor()
  await page.getByLabel('Search').fill('boleto')
  await page.getByText('No tickets match these filters.').waitFor()
  await page.getByLabel('Priority').selectOption('')
  await urgent.waitFor()

  // The ticket page shows both, and changes the priority.
  await urgent.getByRole('link', { name: `#${numbers.urgent}` }).click()
  await page.getByRole('heading', { name: `Ticket #${numbers.urgent}`, level: 1 }).waitFor()
  expect(await page.getByTestId('ticket-subject').textContent()).toContain('Boleto em dobro')
  await page.getByLabel('Priority').selectOption('high')
  await page.locator('header [data-priority="high"]').waitFor()
  await context.close()
})
