/**
 * Journey: who owns a ticket and who handled its conversation. A customer writes (unassigned);
 * Ana takes it with "Assign to me", transfers it to Bob, opens a ticket (hers) and closes the
 * conversation with the default choice: the ticket is Resolved, owned by Ana, handled by Bob, its
 * customer's photo a thumbnail and each event listed once; each report says whom it credits. At
 * 1280 px the conversation's actions keep to one row; a second agent viewing shows under "Also
 * here" and is not read as the assignee; Settings and the account menu appear once.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { imageMessage, textMessage } from '../sync-server/test/helpers/fake-meta.js'
import { demoPng } from '../sync-server/src/whatsapp/simulator/demo-image.js'
import { openPage, signInThroughForm, type TestServer } from './helpers.js'
import { addAgent, conversationActions, createTicket, startWorld, type World } from './world.js'

let world: World
let server: TestServer
let browser: Browser
const ana = { name: 'Ana Souza', email: 'ana@e2e.atende.test', password: 'ana-password-123' }
const bob = { name: 'Bob Lima', email: 'bob@e2e.atende.test', password: 'bob-password-123' }
const WIDE = { width: 1280, height: 800 }

beforeAll(async () => {
  world = await startWorld()
  ;({ server, browser } = world)
  await addAgent(world, ana)
  await addAgent(world, bob)
})

afterAll(() => world?.close())

/** The customer writes first (so nobody has the conversation yet), with a photo if asked. */
async function customerWritesFirst(waId: string, name: string, text: string, photo = false) {
  const { meta } = world
  const messages = [textMessage(waId, text)]
  if (photo) {
    const id = meta.addMedia(demoPng([200, 120, 40]), 'image/png')
    messages.push(
      imageMessage(waId, { id, mime_type: 'image/png', sha256: meta.media(id)!.sha256 }),
    )
  }
  const response = await meta.webhook(server.url, meta.messages({ waId, name }, ...messages))
  expect(response.status).toBe(200)
}

async function openConversation(who: typeof ana | undefined, name: string): Promise<Page> {
  const { page } = await openPage(browser, { viewport: WIDE })
  await signInThroughForm(page, server, undefined, who)
  await page
    .getByRole('list', { name: 'Conversations' })
    .getByRole('link', { name: new RegExp(name) })
    .click()
  await page.getByRole('heading', { name, level: 2 }).waitFor()
  return page
}

const actions = conversationActions
const header = (page: Page, name: string) =>
  page.getByRole('region', { name, exact: true }).locator('header')

test('assign to me, transfer, ticket, close: Resolved, owned by Ana, handled by Bob', async () => {
  await customerWritesFirst('5511944441111', 'Paula Reis', 'Meu pedido veio errado', true)
  const page = await openConversation(ana, 'Paula Reis')
  const top = header(page, 'Paula Reis')
  await top.getByText('Unassigned').waitFor()

  // Nobody has it: "Assign to me" is a button of its own.
  await actions(page).getByRole('button', { name: 'Assign to me' }).click()
  await top.getByText('Assigned to Ana Souza').waitFor()
  await actions(page).getByRole('button', { name: 'Assign to me' }).waitFor({ state: 'detached' })

  await actions(page).getByRole('button', { name: 'Transfer' }).click()
  const transfer = page.getByRole('dialog', { name: 'Transfer the conversation' })
  await transfer.getByRole('radio', { name: bob.name }).check()
  await transfer.getByRole('button', { name: 'Transfer', exact: true }).click()
  await top.getByText('Assigned to Bob Lima').waitFor()

  await createTicket(page)
  const link = actions(page).getByRole('link', { name: /^Ticket #\d{8}-\d{4}$/ })
  await link.waitFor()
  const number = (await link.textContent())!.trim().replace('Ticket #', '')

  // With a ticket, at 1280 px, every action shares one row.
  const controls = actions(page).locator(
    ':scope > button, :scope > a, :scope button[aria-haspopup]',
  )
  const boxes = await Promise.all((await controls.all()).map((control) => control.boundingBox()))
  expect(boxes.length).toBeGreaterThanOrEqual(5) // Assign to me, ticket, Transfer, Close, More
  const middles = boxes.map((box) => box!.y + box!.height / 2)
  expect(Math.max(...middles) - Math.min(...middles)).toBeLessThan(4)
  await page.screenshot({ path: '/tmp/close-actions.png' })

  // Close: the open ticket is asked about, resolving it is the default.
  await actions(page).getByRole('button', { name: 'Close' }).click()
  const close = page.getByRole('dialog', { name: 'Close this conversation?' })
  const choice = close.getByRole('radiogroup', { name: `What becomes of ticket #${number}?` })
  expect(await choice.getByRole('radio', { name: /^Resolve it/ }).isChecked()).toBe(true)
  expect(await choice.getByRole('radio', { name: 'Keep it open for follow-up' }).isChecked()).toBe(
    false,
  )
  await close.getByRole('button', { name: 'Close conversation' }).click()
  await page.getByText(`Conversation closed and filed in ticket #${number}`).waitFor()

  // The ticket: Resolved, owned by Ana, handled by Bob.
  await page.goto(`${server.url}/tickets?q=${number}`)
  await page.getByRole('link', { name: `#${number}` }).click()
  await page.getByRole('heading', { name: `Ticket #${number}`, level: 1 }).waitFor()
  await page.locator('[data-status="resolved"]').getByText('Resolved').waitFor()
  const owner = page.getByLabel('Owner')
  await expect
    .poll(() => owner.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.text))
    .toBe(ana.name)
  expect(await page.locator('.handler').textContent()).toMatch(/Handled by\s*Bob Lima/)

  // Each event once: in the Events column, not again in the transcript.
  const events = page.getByRole('list', { name: 'Events' })
  const transcript = page.getByRole('list', { name: 'Transcript' })
  await events.getByText('Ana Souza transferred it to Bob Lima').waitFor()
  for (const text of [
    'Ana Souza took the conversation',
    'Ana Souza transferred it to Bob Lima',
    'Ana Souza created the ticket',
    'Ana Souza set the status to Resolved',
    'Ana Souza closed the conversation',
  ]) {
    expect(await page.getByText(text, { exact: true }).count(), text).toBe(1)
    expect(await events.getByText(text, { exact: true }).count(), text).toBe(1)
  }
  // The customer's photo is a thumbnail linking to the full file.
  const photo = transcript.getByRole('img', { name: 'Image from Paula Reis' })
  await photo.waitFor()
  expect(await photo.getAttribute('src')).toMatch(/^\/api\/media\//)
  const full = transcript.getByRole('link', { name: 'Image from Paula Reis' })
  expect(await full.getAttribute('href')).toBe(await photo.getAttribute('src'))
  await expect
    .poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBe(160)
  await page.screenshot({ path: '/tmp/close-ticket.png', fullPage: true })

  // Each report says whom it credits.
  const hints = {
    overview: 'Counts conversations and messages for the whole team',
    volume: 'Counts conversations for the whole team',
    'response-times': 'a resolution for who handled the conversation',
  }
  for (const [report, hint] of Object.entries(hints)) {
    await page.goto(`${server.url}/reports/${report}`)
    await page.getByText(new RegExp(hint)).waitFor()
  }
  await page.context().close()
})

test('"Also here" marks a viewer apart from the assignee; Settings and the account menu once', async () => {
  await customerWritesFirst('5511955552222', 'Rita Alves', 'Vocês abrem no domingo?')
  const anaPage = await openConversation(ana, 'Rita Alves')
  await actions(anaPage).getByRole('button', { name: 'Assign to me' }).click()
  const top = header(anaPage, 'Rita Alves')
  await top.getByText('Assigned to Ana Souza').waitFor()

  const bobPage = await openConversation(bob, 'Rita Alves')
  const viewers = top.getByRole('group', { name: 'Also here' })
  await viewers.getByRole('img', { name: 'Bob Lima is also here' }).waitFor()
  // Bob is only a viewer: the assignee is still Ana, in words.
  expect(await top.getByText('Assigned to Bob Lima').count()).toBe(0)
  await top.getByText('Assigned to Ana Souza').waitFor()
  // And Bob sees Ana among his viewers, with Ana as the assignee too.
  const bobTop = header(bobPage, 'Rita Alves')
  await bobTop
    .getByRole('group', { name: 'Also here' })
    .getByRole('img', { name: 'Ana Souza is also here' })
    .waitFor()
  await bobTop.getByText('Assigned to Ana Souza').waitFor()
  // Unassigned, "Assign to me" is offered to Bob at once.
  await actions(bobPage).getByRole('button', { name: 'Assign to me' }).waitFor()

  // The admin's inbox: one Settings link and one account menu, in the app header.
  const { page: admin } = await openPage(browser, { viewport: WIDE })
  await signInThroughForm(admin, server)
  await admin.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor()
  expect(await admin.getByRole('link', { name: 'Settings' }).count()).toBe(1)
  const menus = admin.locator('button[aria-haspopup="menu"]')
  expect(await menus.count()).toBe(1)
  expect(await admin.getByText('Admin', { exact: true }).count()).toBe(1)
  await Promise.all([anaPage, bobPage, admin].map((page) => page.context().close()))
})
