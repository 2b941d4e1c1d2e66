/**
 * Journey: working offline. An agent with a conversation open loses the network, writes two
 * replies and a note (shown pending), reloads the page while still offline (the service worker
 * serves the app, IndexedDB the conversation, the cached agent the session), comes back online,
 * and every write syncs: each reply reaches the customer exactly once, in the order written.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { FakeMeta } from '../sync-server/test/helpers/fake-meta.js'
import { openPage, signInThroughForm, waitForServiceWorker, type TestServer } from './helpers.js'
import { customerWrites, startWorld, type World } from './world.js'
import type { Browser } from 'playwright-core'

let world: World
let meta: FakeMeta
let server: TestServer
let browser: Browser
const customer = { waId: '5511912345678', name: 'João Pereira' }
let conversationId: string

beforeAll(async () => {
  world = await startWorld()
  ;({ meta, server, browser } = world)
  conversationId = await customerWrites(world, world.adminToken, customer, 'Vocês abrem no sábado?')
})

afterAll(() => world?.close())

const thread = (page: Page) => page.getByRole('region', { name: 'Messages' })
const message = (page: Page, text: string) => thread(page).locator('article', { hasText: text })
const connection = (page: Page) => page.getByRole('status', { name: 'Connection' })

/** Waits until y-indexeddb's writes so far are on disk (it writes asynchronously). */
async function flushIndexedDb(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((db) => db.name ?? '')
    await Promise.all(
      names
        .filter((name) => name.startsWith('atende:'))
        .map(
          (name) =>
            new Promise<void>((resolve, reject) => {
              const open = indexedDB.open(name)
              open.onerror = () => reject(open.error)
              open.onsuccess = () => {
                const db = open.result
                // A readwrite transaction completes only after earlier ones on the store have.
                const tx = db.transaction(['updates'], 'readwrite')
                tx.oncomplete = () => {
                  db.close()
                  resolve()
                }
                tx.onerror = () => reject(tx.error)
              }
            }),
        ),
    )
  })
}

test('replies and notes written offline survive a reload and reach the customer once', async () => {
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server)
  await page.goto(`${server.url}/inbox/${conversationId}`)
  await message(page, 'Vocês abrem no sábado?').waitFor()
  await connection(page).filter({ hasText: 'Synced' }).waitFor()
  await waitForServiceWorker(page)

  await goOffline(context, page)
  const box = page.getByRole('textbox', { name: 'Message' })
  await box.fill('Sim, das 9h às 13h')
  await box.press('Enter')
  await box.fill('Quer agendar um horário?')
  await box.press('Enter')
  await page.getByRole('radio', { name: 'Internal note' }).click()
  const noteBox = page.getByRole('textbox', { name: 'Internal note' })
  await noteBox.fill('Cliente perguntou do sábado; confirmar estoque')
  await noteBox.press('Enter')

  for (const text of ['Sim, das 9h às 13h', 'Quer agendar um horário?', 'confirmar estoque']) {
    expect(await message(page, text).getAttribute('data-status')).toBe('pending')
  }
  await connection(page).filter({ hasText: '3 changes to send' }).waitFor()

  // Reload while offline: the app shell comes from the service worker, the thread from IndexedDB.
  await flushIndexedDb(page)
  await page.reload()
  await message(page, 'Vocês abrem no sábado?').waitFor()
  for (const text of ['Sim, das 9h às 13h', 'Quer agendar um horário?', 'confirmar estoque']) {
    await message(page, text).waitFor()
    expect(await message(page, text).getAttribute('data-status')).toBe('pending')
  }
  await connection(page).filter({ hasText: 'Offline' }).waitFor()
  expect(meta.sends).toHaveLength(0)

  // A deep link to the same conversation, typed while offline, opens too.
  await page.goto(`${server.url}/inbox/${conversationId}`)
  await message(page, 'confirmar estoque').waitFor()

  // Back online: everything syncs, each reply reaches the customer exactly once, in order.
  await context.setOffline(false)
  await connection(page).filter({ hasText: 'Synced' }).waitFor()
  const sends = await meta.waitForSends(2)
  await message(page, 'Quer agendar um horário?')
    .and(page.locator('[data-status="sent"]'))
    .waitFor()
  await message(page, 'confirmar estoque').and(page.locator('[data-status="synced"]')).waitFor()
  // Give a duplicate every chance to show up before counting.
  await new Promise((resolve) => setTimeout(resolve, 1500))
  expect(meta.sends.map((send) => (send.body.text as { body: string }).body)).toEqual([
    'Sim, das 9h às 13h',
    'Quer agendar um horário?',
  ])
  expect(sends.every((send) => send.waId === customer.waId)).toBe(true)

  // Another agent (or a fresh session) sees all three in the conversation doc.
  const fresh = await openPage(browser)
  await signInThroughForm(fresh.page, server)
  await fresh.page.goto(`${server.url}/inbox/${conversationId}`)
  await message(fresh.page, 'confirmar estoque').waitFor()
  await message(fresh.page, 'Quer agendar um horário?').waitFor()
  await fresh.context.close()
  await context.close()
})

test('writes left offline in a conversation no longer on screen still go out', async () => {
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server)
  await page.goto(`${server.url}/inbox/${conversationId}`)
  await message(page, 'Vocês abrem no sábado?').waitFor()
  await connection(page).filter({ hasText: 'Synced' }).waitFor()
  await waitForServiceWorker(page)
  const sendsBefore = meta.sends.length

  await goOffline(context, page)
  const box = page.getByRole('textbox', { name: 'Message' })
  await box.fill('Resposta escrita no túnel')
  await box.press('Enter')
  await flushIndexedDb(page)
  // Leave the conversation and reload on the bare inbox: nothing shows that conversation now.
  await page.goto(`${server.url}/inbox`)
  await connection(page).filter({ hasText: '1 change to send' }).waitFor()

  await context.setOffline(false)
  await connection(page).filter({ hasText: 'Synced' }).waitFor()
  const sends = await meta.waitForSends(sendsBefore + 1)
  expect((sends[sendsBefore]!.body.text as { body: string }).body).toBe('Resposta escrita no túnel')
  await new Promise((resolve) => setTimeout(resolve, 1000))
  expect(meta.sends).toHaveLength(sendsBefore + 1)
  await context.close()
})

async function goOffline(context: BrowserContext, page: Page): Promise<void> {
  await context.setOffline(true)
  await connection(page).filter({ hasText: 'Offline' }).waitFor()
}
