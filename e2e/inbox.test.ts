/**
 * Journey: the inbox is live. A conversation the server opens shows up in the list without a
 * reload, and the connection indicator follows the network (offline, then synced again).
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  launchBrowser,
  openPage,
  signInThroughForm,
  startServer,
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

test('a new conversation appears in the list as it happens', async () => {
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server)
  const connection = page.getByRole('status', { name: 'Connection' })
  await connection.filter({ hasText: 'Synced' }).waitFor()
  await page.getByText('No conversations yet', { exact: true }).waitFor()

  // Open a conversation the way "New conversation" will: through the API, as this agent.
  const status = await page.evaluate(async () => {
    const response = await fetch('/api/conversations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '+5511987654321', name: 'Maria Silva' }),
    })
    return response.status
  })
  expect(status).toBe(201)

  const list = page.getByRole('list', { name: 'Conversations' })
  const card = list.getByRole('link', { name: /Maria Silva/ })
  await card.waitFor()
  expect(await list.getByRole('listitem').count()).toBe(1)

  await card.click()
  await page.getByRole('heading', { name: 'Maria Silva', level: 2 }).waitFor()
  expect(await card.getAttribute('aria-current')).toBe('page')
  await context.close()
})

test('the connection indicator follows the network', async () => {
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server)
  const connection = page.getByRole('status', { name: 'Connection' })
  await connection.filter({ hasText: 'Synced' }).waitFor()

  await context.setOffline(true)
  await connection.filter({ hasText: 'Offline' }).waitFor()

  await context.setOffline(false)
  await connection.filter({ hasText: 'Synced' }).waitFor()
  await context.close()
})
