/**
 * Journey: the conversation list. Sorting, the All / Mine / Unassigned views, search by name and
 * by number, unread and assignee marks on the cards, moving through the list with the keyboard,
 * and "New conversation" (typed number or known contact, then the template picker).
 */
import * as encoding from 'lib0/encoding'
import type { Browser, Page } from 'playwright-core'
import { encodeAwarenessUpdate } from 'y-protocols/awareness'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { connect, type SyncClient } from '../sync-server/test/helpers/clients.js'
import { startFakeMeta, textMessage, type FakeMeta } from '../sync-server/test/helpers/fake-meta.js'
import {
  api,
  apiSignIn,
  launchBrowser,
  openPage,
  signInThroughForm,
  startServer,
  type TestServer,
} from './helpers.js'

let meta: FakeMeta
let server: TestServer
let browser: Browser
let adminToken: string
let bobToken: string
let bobId: string
let mariaId: string
const bob = { name: 'Bob Lima', email: 'bob@e2e.atende.test', password: 'bob-password-123' }

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function start(token: string, phone: string, name: string): Promise<string> {
  const body = await api<{ conversation: { id: string } }>(
    server,
    token,
    'POST',
    '/conversations',
    { phone, name },
  )
  return body.conversation.id
}

beforeAll(async () => {
  meta = await startFakeMeta()
  ;[server, browser] = await Promise.all([startServer(meta.env), launchBrowser()])
  adminToken = (await apiSignIn(server)).token!
  const created = await api<{ agent: { id: string } }>(server, adminToken, 'POST', '/agents', {
    ...bob,
    role: 'agent',
  })
  bobId = created.agent.id
  bobToken = (await apiSignIn(server, bob)).token!

  // A customer writes first (WhatsApp timestamps are whole seconds, so the others come a second
  // later to keep the order certain): unassigned and unread.
  const response = await meta.webhook(
    server.url,
    meta.messages(
      { waId: '5541988887777', name: 'Pedro Alves' },
      textMessage('5541988887777', 'Olá, preciso de ajuda'),
    ),
  )
  expect(response.status).toBe(200)
  await pause(1100)
  mariaId = await start(adminToken, '+5511987654321', 'Maria Silva')
  await pause(20)
  await start(adminToken, '+5521912345678', 'João Pereira')
  await pause(20)
  await start(bobToken, '+5531999990000', 'Carla Souza')
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await meta?.close()
})

/**
 * The stock y-websocket client echoes everyone's presence it hears, which the server refuses
 * (4403): like the app's own provider, this one publishes only its own state.
 */
function publishOwnPresenceOnly({ provider, doc }: SyncClient): void {
  const { awareness } = provider
  awareness.off('update', provider._awarenessUpdateHandler)
  awareness.on(
    'update',
    (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = [...changes.added, ...changes.updated, ...changes.removed]
      if (origin === provider || !changed.includes(doc.clientID) || !provider.wsconnected) return
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, 1) // y-websocket's awareness message
      encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [doc.clientID]))
      provider.ws?.send(encoding.toUint8Array(encoder))
    },
  )
}

async function cardNames(page: Page): Promise<string[]> {
  return page
    .getByRole('list', { name: 'Conversations' })
    .locator('[data-conversation-id] .contact')
    .allTextContents()
}

async function expectCards(page: Page, names: string[]): Promise<void> {
  await expect.poll(() => cardNames(page)).toEqual(names)
}

test('sorts, filters and searches the list', async () => {
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server)
  await expectCards(page, ['Carla Souza', 'João Pereira', 'Maria Silva', 'Pedro Alves'])

  await page.getByLabel('Sort').selectOption({ label: 'Oldest first' })
  await expectCards(page, ['Pedro Alves', 'Maria Silva', 'João Pereira', 'Carla Souza'])
  await page.getByLabel('Sort').selectOption({ label: 'Newest first' })

  const views = page.getByRole('group', { name: 'Show' })
  await views.getByRole('button', { name: 'Mine' }).click()
  expect(await views.getByRole('button', { name: 'Mine' }).getAttribute('aria-pressed')).toBe(
    'true',
  )
  await expectCards(page, ['João Pereira', 'Maria Silva'])
  await views.getByRole('button', { name: 'Unassigned' }).click()
  await expectCards(page, ['Pedro Alves'])
  await views.getByRole('button', { name: 'All' }).click()
  await expectCards(page, ['Carla Souza', 'João Pereira', 'Maria Silva', 'Pedro Alves'])

  const search = page.getByRole('searchbox', { name: 'Search conversations' })
  await search.fill('joao')
  await expectCards(page, ['João Pereira'])
  await search.fill('(31) 99999')
  await expectCards(page, ['Carla Souza'])
  await search.fill('+55 41')
  await expectCards(page, ['Pedro Alves'])
  await search.fill('nobody here')
  await page.getByText('No conversations match').waitFor()
  await page.getByRole('button', { name: 'Show all conversations' }).click()
  await expectCards(page, ['Carla Souza', 'João Pereira', 'Maria Silva', 'Pedro Alves'])
  expect(await search.inputValue()).toBe('')
  await context.close()
})

test('cards show unread, the last customer message and the assignee', async () => {
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server)
  const list = page.getByRole('list', { name: 'Conversations' })

  const pedro = list.getByRole('link', { name: /Pedro Alves/ })
  await pedro.waitFor()
  expect(await pedro.textContent()).toContain('Olá, preciso de ajuda')
  expect(await pedro.textContent()).toContain('1 unread message')
  expect(await pedro.locator('.unread-dot').count()).toBe(1)
  expect(await pedro.locator('.contact').evaluate((el) => getComputedStyle(el).fontWeight)).toBe(
    '700',
  )

  const carla = list.getByRole('link', { name: /Carla Souza/ })
  await expect.poll(() => carla.textContent()).toContain('Assigned to Bob Lima')
  expect(await carla.textContent()).toContain('No message from the customer yet')
  expect(await carla.locator('.unread-dot').count()).toBe(0)

  // Keyboard: arrows move between cards.
  await list.getByRole('link').first().focus()
  await page.keyboard.press('ArrowDown')
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''))
    .toContain('João Pereira')
  await page.keyboard.press('End')
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''))
    .toContain('Pedro Alves')
  await context.close()
})

test('new conversation: a typed number, then the template picker', async () => {
  await api(server, adminToken, 'POST', '/templates', {
    name: 'order_update',
    language: 'pt_BR',
    category: 'utility',
    body: 'Olá {{1}}, seu pedido foi atualizado.',
  })
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server)
  await page.getByRole('button', { name: 'New conversation' }).click()
  const dialog = page.getByRole('dialog', { name: 'New conversation' })
  await dialog.waitFor()

  await dialog.getByLabel('Phone number').fill('12345')
  await dialog.getByRole('button', { name: 'Start conversation' }).click()
  await dialog.getByRole('alert').filter({ hasText: 'international format' }).waitFor()

  await dialog.getByLabel('Phone number').fill('+55 51 97777-6666')
  await dialog.getByLabel('Name (optional)').fill('Rita Lopes')
  await dialog.getByRole('button', { name: 'Start conversation' }).click()
  await page.waitForURL(/\/inbox\/[0-9a-f-]{36}$/)
  await page
    .getByRole('list', { name: 'Conversations' })
    .getByRole('link', { name: /Rita Lopes/ })
    .waitFor()

  // A new conversation's window is closed: only a template may open it.
  await dialog.getByText('only allows an approved template').waitFor()
  await dialog.getByLabel('Template').selectOption({ label: 'order_update (pt_BR)' })
  await dialog.getByLabel('Parameter {{1}}').fill('Rita')
  await dialog.getByText('Olá Rita, seu pedido foi atualizado.').waitFor()
  await dialog.getByRole('button', { name: 'Send template' }).click()
  await page.getByText('Template sent').waitFor()
  await dialog.waitFor({ state: 'hidden' })
  const [sent] = await meta.waitForSends(1)
  expect(sent?.waId).toBe('5551977776666')
  await context.close()
})

test('new conversation: pick a known contact', async () => {
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server)
  await page.getByRole('list', { name: 'Conversations' }).getByRole('link').first().waitFor()
  await page.getByRole('button', { name: 'New conversation' }).click()
  const dialog = page.getByRole('dialog', { name: 'New conversation' })
  await dialog.getByRole('searchbox', { name: 'Search contacts' }).fill('maria')
  await dialog.getByRole('button', { name: /Maria Silva/ }).click()
  await page.getByRole('heading', { name: 'Maria Silva', level: 2 }).waitFor()
  // Maria never wrote: the template picker is offered; not now closes it.
  await dialog.getByRole('button', { name: 'Not now' }).click()
  await dialog.waitFor({ state: 'hidden' })
  await expect
    .poll(() =>
      page
        .getByRole('button', { name: 'New conversation' })
        .evaluate((b) => b === document.activeElement),
    )
    .toBe(true)
  await context.close()
})

test('cards show who is viewing and who is typing', async () => {
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server)
  const maria = page.getByRole('list', { name: 'Conversations' }).getByRole('link', {
    name: /Maria Silva/,
  })
  await maria.waitFor()

  // Bob, in another browser, opens Maria's conversation and starts a note (presence contract).
  let bobTab: SyncClient | undefined
  try {
    bobTab = connect(server.url.replace(/^http/, 'ws'), 'inbox', bobToken)
    publishOwnPresenceOnly(bobTab)
    await bobTab.synced
    const user = { id: bobId, name: bob.name }
    bobTab.provider.awareness.setLocalState({
      user,
      viewing: mariaId,
      typing: { conversationId: mariaId, mode: 'note' },
    })
    await expect.poll(() => maria.textContent()).toContain('Bob Lima is writing a note…')
    expect(await maria.textContent()).toContain('Viewing: Bob Lima')

    bobTab.provider.awareness.setLocalState({ user, viewing: mariaId, typing: null })
    await expect.poll(() => maria.textContent()).not.toContain('writing a note')
    expect(await maria.textContent()).toContain('Viewing: Bob Lima')
  } finally {
    bobTab?.destroy()
  }
  // Bob's tab is gone: so is his presence.
  await expect.poll(() => maria.textContent()).not.toContain('Viewing: Bob Lima')
  await context.close()
})
