/**
 * Journey: two agents in one conversation. Each sees the other's replies and notes appear live,
 * sees the other typing (and whether it is a reply or a note), notes are shown as internal and
 * never reach the customer, Enter sends and Shift+Enter starts a new line, and each reply reaches
 * the customer (the fake Meta) exactly once.
 */
import { conversationDocName, readMessages, type NoteMessage } from '@atende/shared'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { connect, waitForDoc } from '../sync-server/test/helpers/clients.js'
import { textMessage, type FakeMeta } from '../sync-server/test/helpers/fake-meta.js'
import { pdf } from '../sync-server/test/helpers/media-samples.js'
import { api, launchBrowser, openPage, signInThroughForm, type TestServer } from './helpers.js'
import { addAgent, customerWrites, startWorld, type World } from './world.js'

let world: World
let meta: FakeMeta
let server: TestServer
let browser: Browser
const ana = { name: 'Ana Souza', email: 'ana@e2e.atende.test', password: 'ana-password-123' }
const bob = { name: 'Bob Lima', email: 'bob@e2e.atende.test', password: 'bob-password-123' }
const customer = { waId: '5511987654321', name: 'Maria Silva' }
let conversationId: string
const ids: Record<string, string> = {}
let adminToken: string

beforeAll(async () => {
  world = await startWorld()
  ;({ meta, server, browser, adminToken } = world)
  const anaAgent = await addAgent(world, ana)
  ids[ana.email] = anaAgent.id
  ids[bob.email] = (await addAgent(world, bob)).id
  // The customer writes: the 24-hour window opens, so replies may be sent.
  conversationId = await customerWrites(
    world,
    anaAgent.token,
    customer,
    'Oi, meu pedido não chegou',
  )
})

afterAll(() => world?.close())

async function openConversation(credentials: typeof ana, id = conversationId): Promise<Page> {
  const { page } = await openPage(browser)
  await signInThroughForm(page, server, undefined, credentials)
  await page.goto(`${server.url}/inbox/${id}`)
  if (id === conversationId) {
    await page.getByRole('heading', { name: customer.name, level: 2 }).waitFor()
    await thread(page).getByText('Oi, meu pedido não chegou').waitFor()
  }
  return page
}

/** The middle column (the list on the left shows presence too). */
const pane = (page: Page) => page.getByRole('region', { name: customer.name, exact: true })
const thread = (page: Page) => page.getByRole('region', { name: 'Messages' })
const message = (page: Page, text: string) => thread(page).locator('article', { hasText: text })

test('two agents see each other typing, replying and writing notes, live', async () => {
  const [anaPage, bobPage] = await Promise.all([openConversation(ana), openConversation(bob)])

  // Presence: each sees the other in the conversation.
  await pane(bobPage)
    .getByRole('group', { name: 'Also here' })
    .getByRole('img', { name: `${ana.name} is also here` })
    .waitFor()

  // Ana types a reply: Bob sees it is a reply being typed, then the reply itself.
  const anaBox = anaPage.getByRole('textbox', { name: 'Message' })
  await anaBox.fill('Vou verificar agora mesmo')
  await pane(bobPage).getByText(`${ana.name} is typing a reply…`).waitFor()
  await anaBox.press('Enter')
  await message(bobPage, 'Vou verificar agora mesmo').waitFor()
  await pane(bobPage).getByText(`${ana.name} is typing a reply…`).waitFor({ state: 'detached' })
  expect(await anaBox.inputValue()).toBe('')

  // Bob writes an internal note: Ana sees him writing a note, then the note, marked internal.
  await bobPage.getByRole('radio', { name: 'Internal note' }).click()
  const bobBox = bobPage.getByRole('textbox', { name: 'Internal note' })
  await bobBox.fill('Cliente VIP, priorizar')
  await pane(anaPage).getByText(`${bob.name} is writing a note…`).waitFor()
  await bobBox.press('Enter')
  const note = message(anaPage, 'Cliente VIP, priorizar')
  await note.waitFor()
  expect(await note.getAttribute('data-kind')).toBe('note')
  await note.getByText('Internal note', { exact: true }).waitFor()
  // Authors are named: Ana sees Bob's name on his note, and "You" on her own reply.
  await note.getByText(bob.name, { exact: true }).waitFor()
  await message(anaPage, 'Vou verificar agora mesmo').getByText('You', { exact: true }).waitFor()

  // The reply reached the customer once; the note never did.
  const sends = await meta.waitForSends(1)
  expect(sends).toHaveLength(1)
  expect(sends[0]!.body).toMatchObject({
    type: 'text',
    text: { body: 'Vou verificar agora mesmo' },
  })
  // Delivery ticks follow: the reply leaves the "pending" clock once WhatsApp accepted it.
  await message(anaPage, 'Vou verificar agora mesmo')
    .and(anaPage.locator('[data-status="sent"]'))
    .waitFor()
  expect(meta.sends).toHaveLength(1)

  await anaPage.context().close()
  await bobPage.context().close()
})

test('Enter sends, Shift+Enter starts a new line', async () => {
  const page = await openConversation(ana)
  const box = page.getByRole('textbox', { name: 'Message' })
  await box.click()
  await box.pressSequentially('Primeira linha')
  await box.press('Shift+Enter')
  await box.pressSequentially('Segunda linha')
  expect(await box.inputValue()).toBe('Primeira linha\nSegunda linha')
  // Nothing was sent yet.
  expect(await message(page, 'Segunda linha').count()).toBe(0)

  await box.press('Enter')
  const sent = message(page, 'Segunda linha')
  await sent.waitFor()
  expect(await sent.locator('.body').innerText()).toBe('Primeira linha\nSegunda linha')
  expect(await box.inputValue()).toBe('')
  const sends = await meta.waitForSends(2)
  expect(sends[1]!.body).toMatchObject({ text: { body: 'Primeira linha\nSegunda linha' } })
  await page.context().close()
})

test('customer text is shown as text, links open safely', async () => {
  await meta.webhook(
    server.url,
    meta.messages(
      customer,
      textMessage(
        customer.waId,
        '<img src=x onerror="window.pwned=1"> veja https://example.com/p?id=1.',
      ),
    ),
  )
  const page = await openConversation(ana)
  const bubble = message(page, 'veja')
  await bubble.waitFor()
  expect(await bubble.locator('img').count()).toBe(0)
  await bubble.getByText('<img src=x onerror="window.pwned=1">', { exact: false }).waitFor()
  const link = bubble.getByRole('link', { name: 'https://example.com/p?id=1' })
  expect(await link.getAttribute('href')).toBe('https://example.com/p?id=1')
  expect(await link.getAttribute('rel')).toBe('noopener noreferrer')
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined()
  await page.context().close()
})

test('"@" in a note offers the team, and the note names who was mentioned', async () => {
  const page = await openConversation(bob)
  await page.getByRole('radio', { name: 'Internal note' }).click()
  const box = page.getByRole('textbox', { name: 'Internal note' })
  await box.click()
  await box.pressSequentially('Pode ver isto @an')
  const suggestions = page.getByRole('listbox', { name: 'Agents to mention' })
  await suggestions.getByRole('option', { name: ana.name }).waitFor()
  await box.press('Enter')
  expect(await box.inputValue()).toBe(`Pode ver isto @${ana.name} `)
  await box.pressSequentially('amanhã?')
  await box.press('Enter')
  await message(page, 'amanhã?').waitFor()

  // The note in the doc carries Ana's id, which is what notifies her.
  const reader = connect(
    server.url.replace(/^http/, 'ws'),
    conversationDocName(conversationId),
    adminToken,
  )
  await reader.synced
  await waitForDoc(reader.doc, (doc) => readMessages(doc).some((m) => m.text.endsWith('amanhã?')))
  const note = readMessages(reader.doc).find((m) => m.text.endsWith('amanhã?')) as NoteMessage
  expect(note.kind).toBe('note')
  expect(note.mentions).toEqual([ids[ana.email]])
  reader.destroy()
  await page.context().close()
})

test('a file attached with a caption goes out and shows as a document', async () => {
  const page = await openConversation(ana)
  const sendsBefore = meta.sends.length
  await page.locator('input[type="file"]').setInputFiles({
    name: 'boleto.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(pdf(3 * 1024 * 1024)),
  })
  await page.getByRole('textbox', { name: 'Caption (optional)' }).fill('Segue o boleto')
  await page.getByRole('button', { name: 'Send file' }).click()
  const bubble = message(page, 'Segue o boleto')
  await bubble.getByRole('link', { name: /boleto\.pdf/ }).waitFor()
  const link = bubble.getByRole('link', { name: /boleto\.pdf/ })
  expect(await link.getAttribute('href')).toMatch(/^\/api\/media\//)
  const sends = await meta.waitForSends(sendsBefore + 1)
  expect(sends[sendsBefore]!.type).toBe('document')
  await page.context().close()
})

test('outside the 24-hour window the composer says so and sends a template', async () => {
  await api(server, adminToken, 'POST', '/templates', {
    name: 'pedido_enviado',
    language: 'pt_BR',
    category: 'utility',
    body: 'Olá {{1}}, seu pedido foi enviado.',
  })
  const quiet = await api<{ conversation: { id: string } }>(
    server,
    adminToken,
    'POST',
    '/conversations',
    { phone: '+5511955554444', name: 'Cliente Calado' },
  )
  const page = await openConversation(ana, quiet.conversation.id)
  await page.getByText('The customer has not written yet').waitFor()
  expect(await page.getByRole('textbox', { name: 'Message' }).isDisabled()).toBe(true)
  // Notes are still possible.
  await page.getByRole('radio', { name: 'Internal note' }).click()
  expect(await page.getByRole('textbox', { name: 'Internal note' }).isDisabled()).toBe(false)
  await page.getByRole('radio', { name: 'Message' }).click()

  const sendsBefore = meta.sends.length
  await page.getByRole('button', { name: 'Send a template' }).click()
  await page.getByRole('combobox', { name: 'Template' }).waitFor()
  await page.getByRole('textbox', { name: 'Parameter {{1}}' }).fill('Carla')
  await page.getByText('Olá Carla, seu pedido foi enviado.').waitFor()
  await page.getByRole('button', { name: 'Send template' }).click()
  await message(page, 'Olá Carla, seu pedido foi enviado.').waitFor()
  const sends = await meta.waitForSends(sendsBefore + 1)
  expect(sends[sendsBefore]!.type).toBe('template')
  await page.context().close()
})

test('a voice message is recorded, can be cancelled, and is sent', async () => {
  // A browser with a fake microphone that needs no permission prompt.
  const micBrowser = await launchBrowser({
    args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
  })
  try {
    const { context, page } = await openPage(micBrowser)
    await context.grantPermissions(['microphone'], { origin: server.url })
    await signInThroughForm(page, server, undefined, ana)
    await page.goto(`${server.url}/inbox/${conversationId}`)
    await thread(page).getByText('Oi, meu pedido não chegou').waitFor()
    const sendsBefore = meta.sends.length

    await page.getByRole('button', { name: 'Record a voice message' }).click()
    await page.getByText(/Recording \d:\d\d/).waitFor()
    await page.getByRole('button', { name: 'Cancel recording' }).click()
    await page.getByRole('textbox', { name: 'Message' }).waitFor()

    await page.getByRole('button', { name: 'Record a voice message' }).click()
    await page.getByText('Recording 0:01').waitFor()
    await page.getByRole('button', { name: 'Send voice message' }).click()
    await thread(page).locator('article', { hasText: 'Voice message' }).locator('audio').waitFor()
    const sends = await meta.waitForSends(sendsBefore + 1)
    expect(sends).toHaveLength(sendsBefore + 1)
    expect(sends[sendsBefore]!.type).toBe('audio')
    await context.close()
  } finally {
    await micBrowser.close()
  }
})

test('a failed reply shows why, and Retry sends it again', async () => {
  const page = await openConversation(ana)
  const sendsBefore = meta.sends.length
  meta.failNext(131026)
  const box = page.getByRole('textbox', { name: 'Message' })
  await box.fill('Seu reembolso foi aprovado')
  await box.press('Enter')
  const bubble = message(page, 'Seu reembolso foi aprovado')
  await bubble.and(page.locator('[data-status="failed"]')).waitFor()
  await bubble.getByText(/^Not delivered: /).waitFor()
  await bubble.getByRole('button', { name: 'Retry' }).click()
  await bubble.and(page.locator('[data-status="sent"]')).waitFor()
  const sends = await meta.waitForSends(sendsBefore + 1)
  // The refused attempt is not a send; the retry is the one that reached the customer.
  expect(sends.slice(sendsBefore).map((send) => (send.body.text as { body: string }).body)).toEqual(
    ['Seu reembolso foi aprovado'],
  )
  await page.context().close()
})
