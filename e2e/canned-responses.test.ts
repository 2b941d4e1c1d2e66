/**
 * Journey: canned responses in the composer. An agent creates one from the popup, types "/" to
 * search and pick it, edits the text it put in the textbox and sends: the customer (the fake
 * Meta) gets the edited text exactly once. The lightning button opens the same list, filtered by
 * the composer's mode. While the popup is open, Enter never sends: with nothing to pick, "/" is
 * not sent to the customer. An admin writes one with placeholders (an unknown one is refused in
 * the editor); picked in Emily's conversation it reads with her name and the agent's.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { FakeMeta } from '../sync-server/test/helpers/fake-meta.js'
import { openPage, signInThroughForm, type TestServer } from './helpers.js'
import { addAgent, customerWrites, startWorld, type World } from './world.js'

let world: World
let meta: FakeMeta
let server: TestServer
let browser: Browser
const ana = { name: 'Ana Souza', email: 'ana@e2e.atende.test', password: 'ana-password-123' }
const customer = { waId: '5511987654321', name: 'Maria Silva' }
let conversationId: string

beforeAll(async () => {
  world = await startWorld()
  ;({ meta, server, browser } = world)
  const { token } = await addAgent(world, ana)
  // The customer writes: the 24-hour window opens, so replies may be sent.
  conversationId = await customerWrites(world, token, customer, 'Oi, qual o prazo de entrega?')
})

afterAll(() => world?.close())

async function openConversation(): Promise<Page> {
  const { page } = await openPage(browser)
  await signInThroughForm(page, server, undefined, ana)
  await page.goto(`${server.url}/inbox/${conversationId}`)
  await thread(page).getByText('Oi, qual o prazo de entrega?').waitFor()
  return page
}

const thread = (page: Page) => page.getByRole('region', { name: 'Messages' })
const list = (page: Page) => page.getByRole('listbox', { name: 'Canned responses' })

test('"/" and Enter with no canned responses yet sends nothing', async () => {
  const page = await openConversation()
  const box = page.getByRole('textbox', { name: 'Message' })
  await box.click()
  await box.press('/')
  await page.getByText('No canned responses yet.').waitFor()
  await box.press('Enter')
  // The picker is open: Enter has nothing to pick, and the "/" stays unsent in the textbox.
  expect(await box.inputValue()).toBe('/')
  await page.keyboard.press('Escape')
  await list(page).waitFor({ state: 'detached' })
  expect(await thread(page).locator('article', { hasText: /^\/$/ }).count()).toBe(0)
  expect(meta.sends).toHaveLength(0)
  await page.context().close()
})

test('create a canned response, pick it with "/", edit it and send it once', async () => {
  const page = await openConversation()
  const box = page.getByRole('textbox', { name: 'Message' })

  // Create one from the popup: the kind defaults to the composer's mode (Message → public).
  await page.getByRole('button', { name: 'Canned responses' }).click()
  await page.getByRole('searchbox', { name: 'Search canned responses' }).waitFor()
  await page.getByRole('button', { name: 'Create canned response' }).click()
  await page.getByRole('textbox', { name: 'Title' }).fill('Prazo de entrega')
  await page.getByRole('textbox', { name: 'Text', exact: true }).fill('Seu pedido chega em 3 dias.')
  expect(await page.getByRole('radio', { name: 'Public' }).isChecked()).toBe(true)
  await page.getByRole('button', { name: 'Save' }).click()
  await list(page)
    .getByRole('option', { name: /Prazo de entrega/ })
    .waitFor()
  await page.keyboard.press('Escape')
  await list(page).waitFor({ state: 'detached' })

  // "/" in the empty textbox opens the list; what follows searches it; Enter picks.
  await box.click()
  await box.pressSequentially('/praz')
  await list(page)
    .getByRole('option', { name: /Prazo de entrega/ })
    .waitFor()
  await box.press('Enter')
  await list(page).waitFor({ state: 'detached' })
  expect(await box.inputValue()).toBe('Seu pedido chega em 3 dias.')
  // Nothing was sent by picking.
  expect(meta.sends).toHaveLength(0)

  // Edit before sending.
  await box.press('End')
  await box.pressSequentially(' Obrigado!')
  await box.press('Enter')
  const edited = 'Seu pedido chega em 3 dias. Obrigado!'
  await thread(page).locator('article', { hasText: edited }).waitFor()
  expect(await box.inputValue()).toBe('')
  const sends = await meta.waitForSends(1)
  expect(sends[0]!.body).toMatchObject({ type: 'text', text: { body: edited } })
  // Give a duplicate the time to show up, then check there is none.
  await page.waitForTimeout(500)
  expect(meta.sends.filter((send) => JSON.stringify(send.body).includes(edited))).toHaveLength(1)
  await page.context().close()
})

test('the lightning button opens the same list, filtered by the composer mode', async () => {
  const page = await openConversation()
  const button = page.getByRole('button', { name: 'Canned responses' })
  // A drawn lightning icon (no emoji font needed), named for screen readers.
  expect(await button.locator('svg').count()).toBe(1)
  await button.click()
  const search = page.getByRole('searchbox', { name: 'Search canned responses' })
  await search.waitFor()
  await list(page)
    .getByRole('option', { name: /Prazo de entrega/ })
    .waitFor()

  // Arrow keys and Enter in the search box pick it, into the textbox, unsent.
  await search.fill('prazo')
  await search.press('ArrowDown')
  await search.press('Enter')
  const box = page.getByRole('textbox', { name: 'Message' })
  expect(await box.inputValue()).toBe('Seu pedido chega em 3 dias.')
  await box.fill('')

  // Internal notes list only internal canned responses.
  await page.getByRole('radio', { name: 'Internal note' }).click()
  await button.click()
  await page.getByText('No canned responses yet.').waitFor()
  expect(await list(page).getByRole('option').count()).toBe(0)
  await page.keyboard.press('Escape')
  await list(page).waitFor({ state: 'detached' })
  await page.context().close()
})

test('placeholders: refused when unknown, shown as chips, filled in with the contact and the agent', async () => {
  const emily = await customerWrites(
    world,
    world.adminToken,
    { waId: '15550101234', name: 'Emily Carter' },
    'Hi, is my order on its way?',
  )
  const { page: admin } = await openPage(browser)
  await signInThroughForm(admin, server)
  await admin.goto(`${server.url}/settings/canned-responses`)
  await admin.getByRole('button', { name: 'New canned response' }).click()
  const editor = admin.getByRole('dialog', { name: 'New canned response' })
  await editor.getByLabel('Title').fill('Saudação com nome')
  const text = editor.getByLabel('Text', { exact: true })
  await text.fill('Olá {{foo}}')
  const refusal = editor.getByText(/\{\{foo\}\} is not a placeholder Atende can fill in/)
  await refusal.waitFor()
  const inText = editor.getByRole('list', { name: 'Placeholders in this text' })
  await inText.getByText('Unknown: {{foo}}').waitFor()
  await editor.getByRole('button', { name: 'Save' }).click()
  await refusal.waitFor()
  expect(await editor.isVisible()).toBe(true)

  // Fixed: the bare {{nome}} and, from the chip buttons, the agent's name.
  await text.fill('Olá {{nome}}, sou ')
  await editor
    .getByRole('group', { name: 'Insert a placeholder' })
    .getByRole('button', { name: 'Agent name', exact: true })
    .click()
  expect(await text.inputValue()).toBe('Olá {{nome}}, sou {{agent.name}}')
  await refusal.waitFor({ state: 'hidden' })
  await inText.getByText('Contact name', { exact: true }).waitFor()
  await inText.getByText('Agent name', { exact: true }).waitFor()
  await editor.getByRole('button', { name: 'Save' }).click()
  await editor.waitFor({ state: 'hidden' })
  await admin
    .getByRole('table', { name: 'Canned responses' })
    .getByText('Saudação com nome')
    .waitFor()
  await admin.context().close()

  // Ana picks it in Emily's conversation: filled in, ready to edit, not sent.
  const { page } = await openPage(browser)
  await signInThroughForm(page, server, undefined, ana)
  await page.goto(`${server.url}/inbox/${emily}`)
  await thread(page).getByText('Hi, is my order on its way?').waitFor()
  const box = page.getByRole('textbox', { name: 'Message' })
  await box.click()
  await box.pressSequentially('/com nome')
  await list(page)
    .getByRole('option', { name: /Saudação com nome/ })
    .waitFor()
  await box.press('Enter')
  await list(page).waitFor({ state: 'detached' })
  expect(await box.inputValue()).toBe('Olá Emily Carter, sou Ana Souza')
  await page.context().close()
})
