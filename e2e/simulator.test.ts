/**
 * Journey: playing a customer in the demo. A signed-in agent opens /simulator, sees it is the demo's
 * simulated WhatsApp, creates a customer, writes as them, and finds the message in the inbox.
 * Offline, the app still says it is the demo (the last mode the server reported).
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  launchBrowser,
  openPage,
  signInThroughForm,
  startServer,
  waitForServiceWorker,
  type TestServer,
} from './helpers.js'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

test('create a customer, write as them, and see it arrive in the inbox', async () => {
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server)
  await page.goto(`${server.url}/simulator`)
  await page.getByRole('heading', { name: 'Demo: simulated WhatsApp', level: 1 }).waitFor()

  await page.getByLabel('Name', { exact: true }).fill('Beatriz Santos')
  await page.getByLabel('Phone number', { exact: true }).fill('+5511977778888')
  await page.getByRole('button', { name: 'Create customer', exact: true }).click()

  const customers = page.getByRole('list', { name: 'Customers' })
  const customer = customers.getByRole('button', { name: /Beatriz Santos/ })
  await customer.waitFor()
  expect(await customer.getAttribute('aria-pressed')).toBe('true')

  const chat = page.getByRole('log', { name: 'Chat of Beatriz Santos' })
  await chat.waitFor()
  await page.getByLabel('Message', { exact: true }).fill('Oi! Quero trocar um produto')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await chat.getByText('Oi! Quero trocar um produto').waitFor()
  await chat.getByRole('img', { name: 'Accepted by the server' }).waitFor()

  await page.goto(`${server.url}/inbox`)
  const list = page.getByRole('list', { name: 'Conversations' })
  await list.getByRole('link', { name: /Beatriz Santos/ }).waitFor()
  await context.close()
})

test('the customer orders from the catalog, edits a message and deletes one', async () => {
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server)
  await page.goto(`${server.url}/simulator`)
  await page.getByLabel('Name', { exact: true }).fill('Rafael Lima')
  await page.getByLabel('Phone number', { exact: true }).fill('+5511966665555')
  await page.getByRole('button', { name: 'Create customer', exact: true }).click()
  const chat = page.getByRole('log', { name: 'Chat of Rafael Lima' })
  await chat.waitFor()

  await page.getByRole('button', { name: 'Send an order from the catalog', exact: true }).click()
  await chat.getByText('Order').waitFor()

  for (const text of ['Quero o tamano M', 'Mensagem errada']) {
    await page.getByLabel('Message', { exact: true }).fill(text)
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await chat.getByText(text).waitFor()
  }
  await chat.getByRole('button', { name: 'Edit “Quero o tamano M”', exact: true }).click()
  await chat.getByLabel('New text', { exact: true }).fill('Quero o tamanho M')
  await chat.getByRole('button', { name: 'Save edit', exact: true }).click()
  await chat.getByText('Quero o tamanho M').waitFor()
  await chat.getByText('Edited', { exact: true }).waitFor()

  await chat
    .getByRole('button', { name: 'Delete “Mensagem errada” for everyone', exact: true })
    .click()
  await chat.getByText('You deleted this message').waitFor()
  expect(await chat.getByText('Mensagem errada').count()).toBe(0)
  await context.close()
})

test('offline, the demo badge and the Simulator link stay: the last known mode is shown', async () => {
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server)
  const badge = page.getByRole('link', { name: 'Demo: simulated WhatsApp' })
  const simulator = page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('link', { name: 'Simulator' })
  await badge.waitFor()
  await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Synced' }).waitFor()
  await waitForServiceWorker(page)

  await context.setOffline(true)
  await page.reload()
  await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Offline' }).waitFor()
  await badge.waitFor()
  await simulator.waitFor()
  await context.close()
})

test('the page says the simulator is off outside demo mode', async () => {
  const live = await startServer({
    WHATSAPP_ACCESS_TOKEN: 'token',
    WHATSAPP_PHONE_NUMBER_ID: '123456789',
    WHATSAPP_APP_SECRET: 'secret',
    WHATSAPP_VERIFY_TOKEN: 'verify',
    WHATSAPP_API_BASE: 'http://127.0.0.1:9/v25.0',
  })
  try {
    const { context, page } = await openPage(browser)
    await signInThroughForm(page, live)
    await page.goto(`${live.url}/simulator`)
    await page.getByText('The simulator is off', { exact: false }).waitFor()
    expect(await page.getByRole('log').count()).toBe(0)
    await context.close()
  } finally {
    await live.stop()
  }
})
