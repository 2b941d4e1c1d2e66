/**
 * Journey: finding closed work. Emily's conversation, with a ticket, is closed; searching "Emily"
 * in the inbox finds no live conversation but shows her closed one below, with a link that opens
 * its transcript. When Emily writes again, the contact panel of her new conversation lists the
 * past ticket. Offline, the search says closed conversations need a connection.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { api, openPage, signInThroughForm, type TestServer } from './helpers.js'
import { addAgent, customerWrites, startWorld, type World } from './world.js'

let world: World
let server: TestServer
let browser: Browser
const ana = { name: 'Ana Souza', email: 'ana@e2e.atende.test', password: 'ana-password-123' }
const emily = { waId: '5511933332222', name: 'Emily Carter' }
let anaToken: string
let ticket: { id: string; number: string }

beforeAll(async () => {
  world = await startWorld()
  ;({ server, browser } = world)
  anaToken = (await addAgent(world, ana)).token
  const id = await customerWrites(world, anaToken, emily, 'My blender arrived broken')
  ;({ ticket } = await api<{ ticket: { id: string; number: string } }>(
    server,
    anaToken,
    'POST',
    `/conversations/${id}/ticket`,
    { subject: 'Broken blender', priority: 'high' },
  ))
  await api(server, anaToken, 'POST', `/conversations/${id}/close`)
})

afterAll(() => world?.close())

const closedSection = (page: Page) => page.getByRole('region', { name: 'Closed conversations' })
const search = (page: Page) => page.getByRole('searchbox', { name: 'Search conversations' })

test('search finds the closed conversation, whose link opens the transcript', async () => {
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server, undefined, ana)
  await search(page).fill('Emily')
  // Nothing live matches; the closed one is listed below, with when it closed and its status.
  await page.getByText('No conversations match').waitFor()
  const transcriptLink = page.getByRole('link', { name: `Emily Carter, ticket #${ticket.number}` })
  const row = closedSection(page).getByRole('listitem').filter({ has: transcriptLink })
  const link = row.getByRole('link')
  await row.getByText(/^Closed /).waitFor()
  await row.getByText('Broken blender').waitFor()
  await row.locator('[data-status="resolved"]').waitFor()

  await link.click()
  await page.getByRole('heading', { name: `Ticket #${ticket.number}`, level: 1 }).waitFor()
  await page
    .getByRole('list', { name: 'Transcript' })
    .getByText('My blender arrived broken')
    .waitFor()

  // A search that matches nothing closed says so.
  await page.goto(`${server.url}/inbox`)
  await search(page).fill('Nobody Whatsoever')
  await closedSection(page).getByText('No closed conversations match either.').waitFor()
  await context.close()
})

test('the contact panel of her new conversation lists the past ticket; offline, search says it needs a connection', async () => {
  const id = await customerWrites(world, anaToken, emily, 'Hello again, about the blender')
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server, undefined, ana)
  await page.goto(`${server.url}/inbox/${id}`)
  const panel = page.getByRole('complementary', { name: 'Contact', exact: true })
  const tickets = panel.getByRole('region', { name: 'Last tickets' })
  const past = tickets.getByRole('listitem').filter({ hasText: `#${ticket.number}` })
  await past.getByText('Broken blender').waitFor()
  await past.getByText(/^Closed /).waitFor()
  await past.getByRole('link', { name: `#${ticket.number}` }).click()
  await page.getByRole('heading', { name: `Ticket #${ticket.number}`, level: 1 }).waitFor()

  await page.goto(`${server.url}/inbox`)
  await page.getByRole('list', { name: 'Conversations' }).getByText('Emily Carter').waitFor()
  await context.setOffline(true)
  await search(page).fill('Emily')
  await closedSection(page)
    .getByText('Searching closed conversations needs a connection.', { exact: false })
    .waitFor()
  // The live one is still found, from the local copy.
  expect(
    await page.getByRole('list', { name: 'Conversations' }).getByText('Emily Carter').count(),
  ).toBe(1)
  await context.close()
})
