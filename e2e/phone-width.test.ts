/**
 * Journey: every page fits a phone. At 390 × 844 CSS pixels the admin visits each route under
 * web/routes (sign-in, inbox, tickets and a ticket, each report, each settings page, the
 * simulator) and none of them is wider than the screen: no sideways scroll of the page. Wide
 * content (a table of figures, say) may scroll inside its own box; the page itself never does.
 */
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  api,
  apiSignIn,
  launchBrowser,
  openPage,
  signInThroughForm,
  startServer,
  type TestServer,
} from './helpers.js'

const PHONE = { width: 390, height: 844 }

let server: TestServer
let browser: Browser
let page: Page
let ticketId: string
let openId: string

beforeAll(async () => {
  // The demo (no WhatsApp credentials), so the simulator is there too.
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
  const { token } = await apiSignIn(server)
  if (!token) throw new Error(`the admin cannot sign in:\n${server.output()}`)
  // A conversation with a long-winded ticket, closed: the ticket page shows its transcript.
  const { conversation } = await api<{ conversation: { id: string } }>(
    server,
    token,
    'POST',
    '/conversations',
    { phone: '+5511955554444', name: 'Maximiliana Bragança de Albuquerque Figueiredo' },
  )
  const { ticket } = await api<{ ticket: { id: string } }>(
    server,
    token,
    'POST',
    `/conversations/${conversation.id}/ticket`,
    { subject: 'Troca de um produto que chegou com defeito na embalagem', priority: 'urgent' },
  )
  ticketId = ticket.id
  await api(server, token, 'POST', `/conversations/${conversation.id}/close`)
  // Another one stays open, so the inbox lists a card.
  const open = await api<{ conversation: { id: string } }>(
    server,
    token,
    'POST',
    '/conversations',
    {
      phone: '+5511955553333',
      name: 'Rui',
    },
  )
  openId = open.conversation.id
  ;({ page } = await openPage(browser, { viewport: PHONE }))
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

/** How much wider than the screen the page is (0 when it fits). */
async function sidewaysOverflow(): Promise<{ scrollWidth: number; viewport: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  }))
}

interface Route {
  path: () => string
  /** What shows once the page has loaded its content. */
  ready: (page: Page) => Locator
  /** Content that must be on screen whole, not in a box scrolled sideways. */
  onScreen?: (page: Page) => Locator
}

/** The elements of `locator` that reach past the screen's right edge (their text). */
async function cutOff(locator: Locator): Promise<string[]> {
  return locator.evaluateAll(
    (elements, width) =>
      elements
        .filter((element) => element.getBoundingClientRect().right > width)
        .map((element) => element.textContent?.trim() ?? ''),
    PHONE.width,
  )
}

const heading = (name: string) => (page: Page) =>
  page.getByRole('heading', { name, exact: true, level: 1 })

const ROUTES: Record<string, Route> = {
  inbox: { path: () => '/inbox', ready: (p) => p.getByRole('list', { name: 'Conversations' }) },
  conversation: {
    path: () => `/inbox/${openId}`,
    ready: (p) => p.getByRole('heading', { name: 'Rui', level: 2 }),
    // The way back and the composer's controls, whole.
    onScreen: (p) => p.locator('main a, main button, main textarea').locator('visible=true'),
  },
  tickets: {
    path: () => '/tickets',
    ready: (p) => p.getByRole('table', { name: 'Ticket list' }),
    // Every filter and every cell of a ticket, the assignee's too.
    onScreen: (p) => p.locator('form[aria-label="Filters"] label, tbody td'),
  },
  ticket: {
    path: () => `/tickets/${ticketId}`,
    // Its events are in the Events column; the transcript section is there either way.
    ready: (p) => p.getByRole('heading', { name: 'Transcript', level: 2 }),
  },
  'reports overview': {
    path: () => '/reports/overview',
    ready: (p) => p.getByRole('figure', { name: 'Conversations started per hour' }),
  },
  'reports volume': {
    path: () => '/reports/volume',
    ready: (p) => p.getByRole('figure', { name: 'Conversations started by weekday and hour' }),
  },
  'reports response times': {
    path: () => '/reports/response-times',
    ready: (p) =>
      p.getByRole('link', { name: 'Response times' }).and(p.locator('[aria-current="page"]')),
  },
  'settings WhatsApp': {
    path: () => '/settings/whatsapp',
    ready: (p) => p.getByLabel('Account name'),
  },
  'settings agents': {
    path: () => '/settings/agents',
    ready: (p) => p.getByRole('table', { name: 'Team' }),
  },
  'settings canned responses': {
    path: () => '/settings/canned-responses',
    ready: heading('Settings'),
  },
  'settings templates': { path: () => '/settings/templates', ready: heading('Settings') },
  'settings shifts': { path: () => '/settings/shifts', ready: heading('Settings') },
  'settings audit log': { path: () => '/settings/audit', ready: heading('Settings') },
  simulator: { path: () => '/simulator', ready: heading('Demo: simulated WhatsApp') },
}

test('the sign-in page fits 390 px', async () => {
  await page.goto(`${server.url}/login`)
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor()
  expect(await sidewaysOverflow()).toEqual({ scrollWidth: PHONE.width, viewport: PHONE.width })
  await signInThroughForm(page, server)
})

for (const [name, route] of Object.entries(ROUTES)) {
  test(`${name} fits 390 px`, async () => {
    await page.goto(`${server.url}${route.path()}`)
    await route.ready(page).waitFor()
    expect(await sidewaysOverflow()).toEqual({ scrollWidth: PHONE.width, viewport: PHONE.width })
    if (route.onScreen) expect(await cutOff(route.onScreen(page))).toEqual([])
  })
}
