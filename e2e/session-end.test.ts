/**
 * Journey: the server ends or re-checks an agent's session while their inbox is open. The sync
 * socket is closed with 4401; the app asks the API whether the session still holds, and it does
 * not when the agent was deactivated or given a new role: the app leaves for /login.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  api,
  apiSignIn,
  launchBrowser,
  openPage,
  signInThroughForm,
  startServer,
  type ApiUser,
  type TestServer,
} from './helpers.js'

const EN = { email: 'Email', password: 'Password', submit: 'Sign in' }

let server: TestServer
let browser: Browser
let adminToken: string

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
  const { token } = await apiSignIn(server)
  if (!token) throw new Error(`the admin cannot sign in:\n${server.output()}`)
  adminToken = token
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function newAgent(name: string, email: string) {
  const credentials = { email, password: 'agent-password-123' }
  const { agent } = await api<{ agent: ApiUser }>(server, adminToken, 'POST', '/agents', {
    name,
    ...credentials,
    role: 'agent',
  })
  return { agent, credentials }
}

test('an agent whose role changes is signed out, and signs in again with the new role', async () => {
  const { agent, credentials } = await newAgent('Bruno Lima', 'bruno@e2e.atende.test')
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server, EN, credentials)
  await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Synced' }).waitFor()
  const sections = page.getByRole('navigation', { name: 'Sections' })
  expect(await sections.getByRole('link', { name: 'Settings' }).count()).toBe(0)

  await api(server, adminToken, 'PATCH', `/agents/${agent.id}`, { role: 'admin' })
  await page.waitForURL((url) => url.pathname === '/login')
  await page.getByText('Your session has ended. Sign in again.', { exact: true }).waitFor()
  await signInThroughForm(page, server, EN, credentials)
  await sections.getByRole('link', { name: 'Settings' }).waitFor()
  await context.close()
})

test('a deactivated agent is sent to /login at once', async () => {
  const { agent, credentials } = await newAgent('Carla Mendes', 'carla@e2e.atende.test')
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server, EN, credentials)
  await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Synced' }).waitFor()

  await api(server, adminToken, 'PATCH', `/agents/${agent.id}`, { active: false })
  await page.waitForURL((url) => url.pathname === '/login')
  await page.getByText('Your session has ended. Sign in again.', { exact: true }).waitFor()
  await context.close()
})
