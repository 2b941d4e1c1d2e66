/**
 * Journey: the inbox on a phone (390×844, touch). The list and the conversation are two screens:
 * a tapped card opens the thread, whose back link returns to the list; the contact panel is a
 * third screen, opened from the conversation, with its own way back. Everything in the composer
 * works there (a reply, an emoji, a file, a voice message, a template), a conversation's address
 * opens it directly, and no screen scrolls sideways.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { pdf } from '../sync-server/test/helpers/media-samples.js'
import { api, openPage, signInThroughForm } from './helpers.js'
import { addAgent, customerWrites, openConversation, startWorld, type World } from './world.js'

const PHONE = { width: 390, height: 844 }
let world: World
let conversationId: string
const ana = { name: 'Ana Souza', email: 'ana@phone.atende.test', password: 'ana-password-123' }
const customer = { waId: '5511944443333', name: 'Rita Gomes' }
const quiet = { phone: '+5511933332222', name: 'Caio Mudo' }

beforeAll(async () => {
  // A fake microphone that needs no permission prompt, for the voice message.
  world = await startWorld({
    browserArgs: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
  })
  const { token } = await addAgent(world, ana)
  conversationId = await customerWrites(world, token, customer, 'Vocês entregam no sábado?')
  // One the customer never wrote in: only a template may go out.
  await api(world.server, token, 'POST', '/conversations', quiet)
  await api(world.server, world.adminToken, 'POST', '/templates', {
    name: 'boas_vindas',
    language: 'pt_BR',
    category: 'utility',
    body: 'Olá {{1}}, como podemos ajudar?',
  })
})

afterAll(() => world?.close())

const list = (page: Page) => page.getByRole('list', { name: 'Conversations' })
const thread = (page: Page) => page.getByRole('region', { name: 'Messages' })
const message = (page: Page, text: string) => thread(page).locator('article', { hasText: text })

/** The page is no wider than the screen: nothing scrolls sideways. */
async function expectNoSidewaysScroll(page: Page, screen: string) {
  const widths = await page.evaluate(() => ({
    screen: window.innerWidth,
    page: document.documentElement.scrollWidth,
  }))
  expect(widths.page, `${screen} is wider than the phone`).toBe(widths.screen)
}

test('list, conversation and contact are screens of their own, and the composer works', async () => {
  const { context, page } = await openPage(world.browser, { viewport: PHONE, hasTouch: true })
  await context.grantPermissions(['microphone'], { origin: world.server.url })
  await signInThroughForm(page, world.server, undefined, ana)
  await list(page).getByText(customer.name).waitFor()
  await expectNoSidewaysScroll(page, 'the list')

  // A tap opens the conversation in place of the list.
  await list(page)
    .getByRole('link', { name: new RegExp(customer.name) })
    .tap()
  await page.waitForURL(`**/inbox/${conversationId}`)
  await message(page, 'Vocês entregam no sábado?').waitFor()
  await list(page).waitFor({ state: 'hidden' })
  await expectNoSidewaysScroll(page, 'the conversation')

  const box = page.getByRole('textbox', { name: 'Message' })
  await box.fill('Entregamos, sim!')
  await page.getByRole('button', { name: 'Send', exact: true }).tap()
  await message(page, 'Entregamos, sim!').waitFor()
  await world.meta.waitForSends(1)

  // An emoji, from a picker that fits on the screen.
  await page.getByRole('button', { name: 'Emoji', exact: true }).tap()
  const emoji = page.locator('emoji-picker').getByRole('menuitem').first()
  await emoji.waitFor()
  await expectNoSidewaysScroll(page, 'the emoji picker')
  const picker = (await page.getByRole('dialog', { name: 'Emoji' }).boundingBox())!
  expect(picker.x).toBeGreaterThanOrEqual(0)
  expect(picker.x + picker.width).toBeLessThanOrEqual(PHONE.width)
  const picked = (await emoji.innerText()).trim()
  await emoji.tap()
  await expect.poll(() => box.inputValue()).toBe(picked)
  await page.keyboard.press('Escape')
  await page.getByRole('dialog', { name: 'Emoji' }).waitFor({ state: 'detached' })
  await box.fill('')

  // A file.
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Attach a file' }).tap()
  await (
    await chooser
  ).setFiles({ name: 'recibo.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf(4096)) })
  await expectNoSidewaysScroll(page, 'the attachment bar')
  await page.getByRole('button', { name: 'Send file' }).tap()
  await message(page, 'recibo.pdf')
    .getByRole('link', { name: /recibo\.pdf/ })
    .waitFor()

  // A voice message.
  await page.getByRole('button', { name: 'Record a voice message' }).tap()
  await page.getByText('Recording 0:01').waitFor()
  await expectNoSidewaysScroll(page, 'the recorder')
  await page.getByRole('button', { name: 'Send voice message' }).tap()
  await message(page, 'Voice message').locator('audio').waitFor()

  // The contact panel takes the thread's place, and gives it back.
  await page.getByRole('button', { name: 'Contact details' }).tap()
  const panel = page.getByRole('complementary', { name: 'Contact', exact: true })
  await panel.getByRole('heading', { name: customer.name, level: 3 }).waitFor()
  await thread(page).waitFor({ state: 'hidden' })
  await expectNoSidewaysScroll(page, 'the contact panel')
  await page.getByRole('button', { name: 'Back to the conversation' }).tap()
  await message(page, 'Entregamos, sim!').waitFor()
  await panel.waitFor({ state: 'hidden' })

  // Back to the list; then a conversation with no customer message yet: a template.
  await page.getByRole('link', { name: 'Back to conversations' }).tap()
  await page.waitForURL((url) => url.pathname === '/inbox')
  await list(page)
    .getByRole('link', { name: new RegExp(quiet.name) })
    .tap()
  await page.getByRole('button', { name: 'Send a template' }).tap()
  await page.getByRole('textbox', { name: 'Parameter {{1}}' }).fill('Caio')
  await expectNoSidewaysScroll(page, 'the template picker')
  await page.getByRole('button', { name: 'Send template' }).tap()
  await message(page, 'Olá Caio, como podemos ajudar?').waitFor()
  await context.close()
})

test('a conversation’s address opens it on a phone, in Portuguese too', async () => {
  const page = await openConversation(world, conversationId, {
    agent: ana,
    customerName: customer.name,
    locale: 'pt-BR',
    viewport: PHONE,
    hasTouch: true,
  })
  await page.getByRole('region', { name: 'Mensagens' }).getByText('Vocês entregam').waitFor()
  await expectNoSidewaysScroll(page, 'the conversation opened by its address')
  await page.getByRole('button', { name: 'Dados do contato' }).tap()
  await page.getByRole('button', { name: 'Voltar à conversa' }).tap()
  await page.getByRole('link', { name: 'Voltar às conversas' }).tap()
  await page.getByRole('list', { name: 'Conversas' }).getByText(customer.name).waitFor()
  await page.context().close()
})
