/**
 * Journey: signing in and out. A signed-out visitor is sent to /login, a wrong password or too many
 * attempts are explained, a correct sign-in opens the inbox as that agent, signing out ends the
 * session, and the page speaks Brazilian Portuguese to a pt-BR browser.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  apiSignIn,
  launchBrowser,
  openPage,
  signInThroughForm,
  startServer,
  type TestServer,
} from './helpers.js'

let server: TestServer
let browser: Browser
let agentName: string

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
  const { user } = await apiSignIn(server)
  if (!user) throw new Error(`the admin cannot sign in:\n${server.output()}`)
  agentName = user.name
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('signing in', () => {
  test('a signed-out visitor to /inbox lands on /login', async () => {
    const { context, page } = await openPage(browser)
    await page.goto(`${server.url}/inbox`)
    await page.waitForURL((url) => url.pathname === '/login')
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor()
    expect(await page.getByLabel('Email', { exact: true }).isVisible()).toBe(true)
    expect(await page.getByLabel('Password', { exact: true }).isVisible()).toBe(true)
    await context.close()
  })

  test('a wrong password is explained, and the visitor stays on /login', async () => {
    const { context, page } = await openPage(browser)
    await page.goto(`${server.url}/login`)
    await page.getByLabel('Email', { exact: true }).fill(server.admin.email)
    await page.getByLabel('Password', { exact: true }).fill('not-the-password')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/login')
    await context.close()
  })

  test('too many attempts are explained', async () => {
    // Use up one (non-admin) account's allowance outside the browser, then try once more in it.
    const victim = { email: 'nobody@e2e.atende.test', password: 'wrong-password' }
    let status = 0
    for (let attempt = 0; attempt < 10 && status !== 429; attempt++) {
      ;({ status } = await apiSignIn(server, victim))
    }
    expect(status).toBe(429)

    const { context, page } = await openPage(browser)
    await page.goto(`${server.url}/login`)
    await page.getByLabel('Email', { exact: true }).fill(victim.email)
    await page.getByLabel('Password', { exact: true }).fill(victim.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page
      .getByRole('alert')
      .filter({ hasText: 'Too many attempts, try again later' })
      .waitFor()
    await context.close()
  })

  test('a correct sign-in opens the inbox as that agent, and signing out ends the session', async () => {
    const { context, page } = await openPage(browser)
    await page.goto(`${server.url}/`)
    await page.waitForURL((url) => url.pathname === '/login')
    await signInThroughForm(page, server)

    expect(new URL(page.url()).pathname).toBe('/inbox')
    await page.getByRole('heading', { name: 'Inbox', exact: true }).waitFor()
    const agentMenu = page.getByRole('button', { name: agentName, exact: true })
    await agentMenu.waitFor()
    // No WhatsApp credentials: the server runs the simulator, and the app says so.
    await page.getByText('Demo: simulated WhatsApp', { exact: true }).waitFor()
    await page.getByRole('status', { name: 'Connection' }).waitFor()
    // Either conversations (once the server has some) or the empty state, never a blank column.
    await page
      .getByRole('list', { name: 'Conversations' })
      .or(page.getByText('No conversations yet', { exact: true }))
      .waitFor()

    await agentMenu.click()
    await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click()
    await page.waitForURL((url) => url.pathname === '/login')

    // The session is gone on the server too: the inbox sends us back.
    await page.goto(`${server.url}/inbox`)
    await page.waitForURL((url) => url.pathname === '/login')
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor()
    await context.close()
  })

  test('a deep link survives signing in', async () => {
    const { context, page } = await openPage(browser)
    const id = '6f1c1b0e-2d7a-4c35-9a51-0c2f3f0f9a11'
    await page.goto(`${server.url}/inbox/${id}`)
    await page.waitForURL((url) => url.pathname === '/login')
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/inbox/${id}`)
    await signInThroughForm(page, server)
    expect(new URL(page.url()).pathname).toBe(`/inbox/${id}`)
    await page.getByText('This conversation is not in your inbox.', { exact: true }).waitFor()
    await context.close()
  })
})

describe('language', () => {
  test('a pt-BR browser gets the page in Brazilian Portuguese', async () => {
    const { context, page } = await openPage(browser, { locale: 'pt-BR' })
    await page.goto(`${server.url}/login`)
    await page.getByRole('button', { name: 'Entrar', exact: true }).waitFor()
    expect(await page.getByLabel('E-mail', { exact: true }).isVisible()).toBe(true)
    expect(await page.getByLabel('Senha', { exact: true }).isVisible()).toBe(true)
    expect(await page.locator('html').getAttribute('lang')).toBe('pt-BR')
    await context.close()
  })

  test('the chosen language is remembered', async () => {
    const { context, page } = await openPage(browser, { locale: 'pt-BR' })
    await page.goto(`${server.url}/login`)
    await page.getByRole('combobox', { name: 'Idioma', exact: true }).selectOption('en')
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor()
    expect(await page.locator('html').getAttribute('lang')).toBe('en')

    await page.reload()
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor()
    await signInThroughForm(page, server)
    await page.getByRole('combobox', { name: 'Language', exact: true }).waitFor()
    await context.close()
  })
})
