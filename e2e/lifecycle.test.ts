/**
 * Journey: a conversation's life. Ana transfers a conversation to Bob, whose bell rings with it
 * and whose thread shows the transfer; Bob closes it (its history goes to a ticket, the card
 * leaves the inbox); a conversation is deleted only after a warning that nothing is kept, which
 * suggests closing instead, and only its assignee or an admin is offered the button.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { api, openPage, signInThroughForm, type TestServer } from './helpers.js'
import { addAgent, conversationActions, customerWrites, startWorld, type World } from './world.js'

let world: World
let server: TestServer
let browser: Browser
const ana = { name: 'Ana Souza', email: 'ana@e2e.atende.test', password: 'ana-password-123' }
const bob = { name: 'Bob Lima', email: 'bob@e2e.atende.test', password: 'bob-password-123' }
let anaToken: string

beforeAll(async () => {
  world = await startWorld()
  ;({ server, browser } = world)
  anaToken = (await addAgent(world, ana)).token
  await addAgent(world, bob)
})

afterAll(() => world?.close())

/** Ana opens a conversation with a customer (assigned to her), and the customer writes. */
function conversationWith(waId: string, name: string, text: string): Promise<string> {
  return customerWrites(world, anaToken, { waId, name }, text)
}

async function signedIn(credentials: typeof ana): Promise<Page> {
  const { page } = await openPage(browser)
  await signInThroughForm(page, server, undefined, credentials)
  return page
}

const actions = conversationActions
/** "Delete" waits in the "More actions" menu. */
async function deleteFromMenu(page: Page) {
  await actions(page).getByRole('button', { name: 'More actions' }).click()
  await actions(page).getByRole('menuitem', { name: 'Delete' }).click()
}
const card = (page: Page, name: string) =>
  page.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(name) })

test('transfer: Bob is notified and sees it; then Bob closes the conversation into a ticket', async () => {
  const id = await conversationWith('5511911112222', 'Maria Silva', 'Meu pedido atrasou')
  const [anaPage, bobPage] = await Promise.all([signedIn(ana), signedIn(bob)])
  await bobPage.getByRole('button', { name: 'Notifications', exact: true }).waitFor()
  await bobPage.locator('[data-live="true"]').waitFor({ state: 'attached' })

  await anaPage.goto(`${server.url}/inbox/${id}`)
  await anaPage.getByText('Meu pedido atrasou').first().waitFor()
  await actions(anaPage).getByRole('button', { name: 'Transfer' }).click()
  const dialog = anaPage.getByRole('dialog', { name: 'Transfer the conversation' })
  await dialog.getByRole('radio', { name: bob.name }).check()
  await dialog.getByRole('button', { name: 'Transfer', exact: true }).click()
  await anaPage.getByText(`Transferred to ${bob.name}`).first().waitFor()
  await dialog.waitFor({ state: 'hidden' })

  // Bob's bell rings live, and the notification opens the conversation.
  await bobPage.getByRole('button', { name: 'Notifications, 1 unread' }).click()
  await bobPage.getByRole('link', { name: /Ana Souza transferred Maria Silva to you/ }).click()
  await bobPage.waitForURL(`**/inbox/${id}`)
  await bobPage.getByText('Meu pedido atrasou').first().waitFor()
  await bobPage
    .getByRole('region', { name: 'Messages' })
    .getByText(`Transferred to ${bob.name}`)
    .waitFor()

  // Bob closes it: asked once, then the history is filed and the card leaves the inbox.
  await actions(bobPage).getByRole('button', { name: 'Close' }).click()
  const confirm = bobPage.getByRole('dialog', { name: 'Close this conversation?' })
  await confirm.getByText(/is filed in the ticket/).waitFor()
  await confirm.getByRole('button', { name: 'Close conversation' }).click()
  const toast = bobPage.getByText(/^Conversation closed and filed in ticket #\d{8}-\d{4}$/)
  await toast.waitFor()
  const number = (await toast.textContent())!.trim().split('#')[1]!
  await bobPage.waitForURL((url) => url.pathname === '/inbox')
  await card(bobPage, 'Maria Silva').waitFor({ state: 'detached' })
  await card(anaPage, 'Maria Silva').waitFor({ state: 'detached' })

  // The ticket holds the history, the transfer and the close.
  await bobPage.goto(`${server.url}/tickets?q=${number}`)
  await bobPage.getByRole('link', { name: `#${number}` }).click()
  await bobPage.getByRole('list', { name: 'Transcript' }).getByText('Meu pedido atrasou').waitFor()
  const events = bobPage.getByRole('list', { name: 'Events' })
  await events.getByText('Ana Souza transferred it to Bob Lima').waitFor()
  await events.getByText('Bob Lima closed the conversation').waitFor()
  expect(await bobPage.getByText('Read-only: the history as it was').isVisible()).toBe(true)
})

test('delete warns that nothing is kept, suggests closing, and is only offered to the assignee', async () => {
  const id = await conversationWith('5511933334444', 'João Pereira', 'Por favor apaguem meus dados')
  const [anaPage, bobPage] = await Promise.all([signedIn(ana), signedIn(bob)])

  // Bob is neither the assignee nor an admin: no Delete for him (nor, without a ticket, any
  // other of the "More actions").
  await bobPage.goto(`${server.url}/inbox/${id}`)
  await actions(bobPage).getByRole('button', { name: 'Close' }).waitFor()
  expect(await actions(bobPage).getByRole('button', { name: 'More actions' }).count()).toBe(0)

  await anaPage.goto(`${server.url}/inbox/${id}`)
  await anaPage.getByText('Por favor apaguem meus dados').first().waitFor()
  await deleteFromMenu(anaPage)
  const dialog = anaPage.getByRole('dialog', { name: 'Delete this conversation for good?' })
  await dialog
    .getByText(
      'Nothing is kept: every message, internal note and file of this conversation is removed and cannot be recovered.',
    )
    .waitFor()
  await dialog.getByText('To keep its history, close the conversation instead.').waitFor()
  await dialog.getByRole('button', { name: 'Close instead' }).waitFor()

  // Cancel first: nothing happens.
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await dialog.waitFor({ state: 'hidden' })
  await card(anaPage, 'João Pereira').waitFor()

  await deleteFromMenu(anaPage)
  await dialog.getByRole('button', { name: 'Delete for good' }).click()
  await anaPage.getByText('Conversation deleted').waitFor()
  await anaPage.waitForURL((url) => url.pathname === '/inbox')
  await card(anaPage, 'João Pereira').waitFor({ state: 'detached' })
  await card(bobPage, 'João Pereira').waitFor({ state: 'detached' })
  // Nothing was filed: no ticket for it.
  const tickets = await api<{ tickets: unknown[] }>(server, anaToken, 'GET', '/tickets?q=Jo%C3%A3o')
  expect(tickets.tickets).toEqual([])
})
