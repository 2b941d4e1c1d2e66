/**
 * Journey: notifications. Ana mentions Bob in an internal note (written through a Node y-websocket
 * client, as another browser would): Bob's bell counts it live, the list says who mentioned him
 * where, and opening it shows the conversation. A customer message pings a hidden tab with a
 * desktop notification, once the agent has allowed them from the button.
 */
import {
  appendMessage,
  conversationDocName,
  readMessages,
  type AgentId,
  type MessageId,
} from '@atende/shared'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { connect, waitForDoc, type SyncClient } from '../sync-server/test/helpers/clients.js'
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
const clients: SyncClient[] = []
const ana = { name: 'Ana Souza', email: 'ana@e2e.atende.test', password: 'ana-password-123' }
const bob = { name: 'Bob Lima', email: 'bob@e2e.atende.test', password: 'bob-password-123' }
const ids: Record<'ana' | 'bob', string> = { ana: '', bob: '' }
let anaToken: string
let conversationId: string

beforeAll(async () => {
  meta = await startFakeMeta()
  ;[server, browser] = await Promise.all([startServer(meta.env), launchBrowser()])
  const adminToken = (await apiSignIn(server)).token!
  for (const [key, agent] of [
    ['ana', ana],
    ['bob', bob],
  ] as const) {
    const created = await api<{ agent: { id: string } }>(server, adminToken, 'POST', '/agents', {
      ...agent,
      role: 'agent',
    })
    ids[key] = created.agent.id
  }
  anaToken = (await apiSignIn(server, ana)).token!
  const started = await api<{ conversation: { id: string } }>(
    server,
    anaToken,
    'POST',
    '/conversations',
    { phone: '+5511987654321', name: 'Maria Silva' },
  )
  conversationId = started.conversation.id
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await browser?.close()
  await server?.stop()
  await meta?.close()
})

/** Ana writes a note in Maria's conversation mentioning `mentions`, and the server has it. */
async function anaWritesNote(text: string, mentions: string[]): Promise<void> {
  const wsUrl = server.url.replace(/^http/, 'ws')
  const writer = connect(wsUrl, conversationDocName(conversationId), anaToken)
  const witness = connect(wsUrl, conversationDocName(conversationId), anaToken)
  clients.push(writer, witness)
  await Promise.all([writer.synced, witness.synced])
  const id = crypto.randomUUID() as MessageId
  appendMessage(
    writer.doc,
    {
      id,
      kind: 'note',
      authorId: ids.ana as AgentId,
      text,
      createdAt: Date.now(),
      mentions: mentions as AgentId[],
    },
    'local',
  )
  await waitForDoc(witness.doc, (doc) => readMessages(doc).some((m) => m.id === id))
}

test('a mention reaches the bell live, and opens the conversation', async () => {
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server, undefined, bob)
  const bell = page.getByRole('button', { name: 'Notifications', exact: true })
  await bell.waitFor()
  // The stream is open before the note is written: it arrives live, with no reload or poll.
  await page.locator('[data-live="true"]').waitFor({ state: 'attached' })

  await anaWritesNote('@Bob Lima can you check her invoice?', [ids.bob])
  const ringing = page.getByRole('button', { name: 'Notifications, 1 unread' })
  await ringing.waitFor()
  expect((await ringing.textContent())?.trim()).toBe('1')

  await ringing.click()
  const mention = page.getByRole('link', { name: /Ana Souza mentioned you in Maria Silva/ })
  await mention.waitFor()
  await mention.click()
  await page.waitForURL(`**/inbox/${conversationId}`)
  const card = page
    .getByRole('list', { name: 'Conversations' })
    .getByRole('link', { name: /Maria Silva/ })
  await expect.poll(() => card.getAttribute('aria-current')).toBe('page')
  await bell.waitFor()

  // Read on the server too: a fresh page shows no unread.
  const reloaded = await context.newPage()
  await reloaded.goto(`${server.url}/inbox`)
  await reloaded.getByRole('button', { name: 'Notifications', exact: true }).waitFor()
  await context.close()
})

test('mark all as read clears the count in every tab', async () => {
  // Whatever the test before left unread is read: this test counts from zero.
  await api(server, (await apiSignIn(server, bob)).token!, 'POST', '/notifications/read', {})
  const { context, page } = await openPage(browser)
  await signInThroughForm(page, server, undefined, bob)
  const other = await context.newPage()
  await other.goto(`${server.url}/inbox`)
  await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor()

  await anaWritesNote('Bob, one more', [ids.bob])
  await anaWritesNote('Bob, and another', [ids.bob])
  await page.getByRole('button', { name: 'Notifications, 2 unread' }).click()
  await other.getByRole('button', { name: 'Notifications, 2 unread' }).waitFor()
  await page.getByRole('button', { name: 'Mark all as read' }).click()
  await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor()
  await other.getByRole('button', { name: 'Notifications', exact: true }).waitFor()
  await context.close()
})

test('a customer message in a hidden tab shows a desktop notification, once allowed', async () => {
  const { context, page } = await openPage(browser)
  // Headless Chromium is never "hidden", and its notifications cannot be clicked: stand in for
  // both. The stand-in records what the app asks for.
  await context.addInitScript(() => {
    Object.defineProperty(document, 'hidden', { get: () => true })
    Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' })
    const shown: { title: string; body?: string; tag?: string; click(): void }[] = []
    let permission: NotificationPermission = 'default'
    let asked = 0
    class FakeNotification {
      onclick: (() => void) | null = null
      constructor(title: string, options: NotificationOptions = {}) {
        shown.push({ title, body: options.body, tag: options.tag, click: () => this.onclick?.() })
      }
      close() {}
      static get permission() {
        return permission
      }
      static async requestPermission() {
        asked++
        permission = 'granted'
        return permission
      }
    }
    Object.assign(window, {
      Notification: FakeNotification,
      __notifications: { shown, asked: () => asked },
    })
  })
  await signInThroughForm(page, server, undefined, bob)
  type Recorder = { shown: { title: string; body?: string; click(): void }[]; asked(): number }
  const asked = () =>
    page.evaluate(() =>
      (window as unknown as { __notifications: Recorder }).__notifications.asked(),
    )
  expect(await asked()).toBe(0) // never on load

  await page.getByRole('button', { name: 'Notifications', exact: true }).click()
  await page.getByRole('button', { name: 'Enable desktop notifications' }).click()
  await page.getByText('Desktop notifications are on').waitFor()
  expect(await asked()).toBe(1)
  await page.getByRole('heading', { name: 'Inbox', level: 1 }).click() // close the panel

  const response = await meta.webhook(
    server.url,
    meta.messages(
      { waId: '5541988887777', name: 'Pedro Alves' },
      textMessage('5541988887777', 'Vocês abrem sábado?'),
    ),
  )
  expect(response.status).toBe(200)
  const shown = () =>
    page.evaluate(() =>
      (window as unknown as { __notifications: Recorder }).__notifications.shown.map((n) => ({
        title: n.title,
        body: n.body,
      })),
    )
  await expect.poll(shown).toEqual([{ title: 'Pedro Alves', body: 'Vocês abrem sábado?' }])

  await page.evaluate(() =>
    (window as unknown as { __notifications: Recorder }).__notifications.shown[0]!.click(),
  )
  await page.waitForURL(/\/inbox\/[0-9a-f-]{36}$/)
  const card = page
    .getByRole('list', { name: 'Conversations' })
    .getByRole('link', { name: /Pedro Alves/ })
  await expect.poll(() => card.getAttribute('aria-current')).toBe('page')
  await context.close()
})
