/**
 * Journey: writes the server will never take. An agent writes a reply and a note offline; while
 * they are away an admin closes (or deletes) the conversation. Back online, the agent sees both
 * marked "Not delivered" with the reason and a way to copy the text; nothing is left counted as
 * "to send", the customer never gets the reply, and the local copy goes once dismissed.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { FakeMeta } from '../sync-server/test/helpers/fake-meta.js'
import { api, openPage, signInThroughForm, type TestServer } from './helpers.js'
import { addAgent, customerWrites, startWorld, type World } from './world.js'
import type { Browser } from 'playwright-core'

let world: World
let meta: FakeMeta
let server: TestServer
let browser: Browser
let adminB: string

beforeAll(async () => {
  world = await startWorld()
  ;({ meta, server, browser } = world)
  adminB = (
    await addAgent(
      world,
      { name: 'Beatriz Admin', email: 'beatriz@e2e.atende.test', password: 'beatriz-pass-123' },
      'admin',
    )
  ).token
})

afterAll(() => world?.close())

const thread = (page: Page) => page.getByRole('region', { name: 'Messages' })
const message = (page: Page, text: string) => thread(page).locator('article', { hasText: text })
const connection = (page: Page) => page.getByRole('status', { name: 'Connection' })
const notDelivered = (page: Page) => page.getByRole('region', { name: 'Messages not delivered' })

/** Signs in, opens the conversation, waits until it is synced, then goes offline. */
async function openThenGoOffline(
  conversationId: string,
  firstText: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await openPage(browser)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
  await signInThroughForm(page, server)
  await page.goto(`${server.url}/inbox/${conversationId}`)
  await message(page, firstText).waitFor()
  await connection(page).filter({ hasText: 'Synced' }).waitFor()
  await context.setOffline(true)
  await connection(page).filter({ hasText: 'Offline' }).waitFor()
  return { context, page }
}

/** A reply and a note written offline: both pending, two changes to send. */
async function writeOffline(page: Page, reply: string, note: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' })
  await box.fill(reply)
  await box.press('Enter')
  await page.getByRole('radio', { name: 'Internal note' }).click()
  const noteBox = page.getByRole('textbox', { name: 'Internal note' })
  await noteBox.fill(note)
  await noteBox.press('Enter')
  for (const text of [reply, note]) {
    expect(await message(page, text).getAttribute('data-status')).toBe('pending')
  }
  await connection(page).filter({ hasText: '2 changes to send' }).waitFor()
}

/** Each text is shown as not delivered, with `reason` and its own Copy button. */
async function expectNotDelivered(page: Page, texts: string[], reason: string): Promise<void> {
  for (const text of texts) {
    const article = message(page, text)
    const problem = article.getByRole('group', { name: 'Not delivered' })
    await problem.getByText(reason, { exact: true }).waitFor()
    await problem.getByRole('button', { name: 'Copy text' }).waitFor()
    expect(await article.getAttribute('data-status')).toBe('undelivered')
  }
  // Nothing is left counted as waiting to be sent.
  await connection(page).filter({ hasText: 'Synced' }).waitFor()
  expect(
    await connection(page)
      .getByText(/to send/)
      .count(),
  ).toBe(0)
}

function sentTexts(waId: string): string[] {
  return meta.sends
    .filter((send) => send.waId === waId)
    .map((send) => (send.body.text as { body: string } | undefined)?.body ?? '')
}

async function localCopies(page: Page): Promise<string[]> {
  return page.evaluate(async () =>
    (await indexedDB.databases()).map((db) => db.name ?? '').filter((n) => n.startsWith('atende:')),
  )
}

test('a conversation closed while the agent was offline: replies and notes are not delivered', async () => {
  const customer = { waId: '5511955551111', name: 'Carla Dias' }
  const id = await customerWrites(world, world.adminToken, customer, 'Posso trocar o tamanho?')
  const { context, page } = await openThenGoOffline(id, 'Posso trocar o tamanho?')
  const reply = 'Pode sim, traga na loja amanhã'
  const note = 'Cliente quer trocar M por G'
  await writeOffline(page, reply, note)

  const closed = await api<{ ticketNumber: string }>(
    server,
    adminB,
    'POST',
    `/conversations/${id}/close`,
  )
  await context.setOffline(false)

  const reason = `This conversation was closed and filed in ticket #${closed.ticketNumber}`
  await expectNotDelivered(page, [reply, note], reason)
  // Told wherever the agent is (a closed conversation leaves the inbox list).
  await page.getByText(/^2 messages you wrote to Carla Dias could not be delivered/).waitFor()
  const region = notDelivered(page)
  await region.getByText('2 messages you wrote were not delivered').waitFor()
  await region.getByRole('button', { name: 'New conversation with Carla Dias' }).waitFor()
  // Nothing more can be written to it.
  expect(await page.getByRole('textbox', { name: 'Message' }).count()).toBe(0)

  // The text can be copied, so nothing typed is lost.
  await message(page, reply).getByRole('button', { name: 'Copy text' }).click()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(reply)
  await region.getByRole('button', { name: 'Copy all' }).click()
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe(`${reply}\n\n${note}`)

  // Still there after a reload: the local copy is kept until the agent dismisses it.
  await page.reload()
  await expectNotDelivered(page, [reply, note], reason)

  // The customer never got the reply; the ticket has neither.
  await new Promise((resolve) => setTimeout(resolve, 1000))
  expect(sentTexts(customer.waId)).toEqual([])

  // Dismissed: back to the inbox, the local copy is gone.
  expect((await localCopies(page)).some((name) => name.endsWith(`conversation:${id}`))).toBe(true)
  await notDelivered(page).getByRole('button', { name: 'Dismiss' }).click()
  await page.waitForURL((url) => url.pathname === '/inbox')
  await expect
    .poll(async () => (await localCopies(page)).some((name) => name.endsWith(`conversation:${id}`)))
    .toBe(false)
  await connection(page).filter({ hasText: 'Synced' }).waitFor()
  await context.close()
})

test('a conversation deleted while the agent was offline: the reason says so', async () => {
  const customer = { waId: '5511955552222', name: 'Diego Ramos' }
  const id = await customerWrites(world, world.adminToken, customer, 'Apaguem meu cadastro')
  const { context, page } = await openThenGoOffline(id, 'Apaguem meu cadastro')
  const reply = 'Vamos apagar hoje mesmo'
  const note = 'Pedido de exclusão LGPD'
  await writeOffline(page, reply, note)

  await api(server, adminB, 'DELETE', `/conversations/${id}`)
  await context.setOffline(false)

  await expectNotDelivered(page, [reply, note], 'This conversation was deleted')
  const region = notDelivered(page)
  // No "new conversation" offer for a deleted one; copying still works.
  expect(await region.getByRole('button', { name: /New conversation/ }).count()).toBe(0)
  await message(page, note).getByRole('button', { name: 'Copy text' }).click()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(note)

  await new Promise((resolve) => setTimeout(resolve, 1000))
  expect(sentTexts(customer.waId)).toEqual([])

  await region.getByRole('button', { name: 'Dismiss' }).click()
  await page.waitForURL((url) => url.pathname === '/inbox')
  await context.close()
})
