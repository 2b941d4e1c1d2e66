/**
 * The setup most journeys share: Meta played by the fake (so replies really go out), the real
 * server wired to it, one browser, and helpers to add agents and have a customer write.
 */
import type { Browser, Page } from 'playwright-core'
import { startFakeMeta, textMessage, type FakeMeta } from '../sync-server/test/helpers/fake-meta.js'
import {
  api,
  apiSignIn,
  launchBrowser,
  openPage,
  signInThroughForm,
  startServer,
  type OpenPageOptions,
  type TestServer,
} from './helpers.js'

export interface World {
  meta: FakeMeta
  server: TestServer
  browser: Browser
  adminToken: string
  close(): Promise<void>
}

export interface Credentials {
  name: string
  email: string
  password: string
}

export interface Customer {
  waId: string
  name: string
}

export async function startWorld(options: { browserArgs?: string[] } = {}): Promise<World> {
  const meta = await startFakeMeta()
  const [server, browser] = await Promise.all([
    startServer(meta.env),
    launchBrowser({ args: options.browserArgs }),
  ])
  const adminToken = (await apiSignIn(server)).token
  if (!adminToken) throw new Error(`the admin cannot sign in:\n${server.output()}`)
  return {
    meta,
    server,
    browser,
    adminToken,
    async close() {
      await browser.close()
      await server.stop()
      await meta.close()
    },
  }
}

/** Creates an agent (as the admin) and signs them in through the API. */
export async function addAgent(
  world: World,
  agent: Credentials,
  role: 'agent' | 'admin' = 'agent',
): Promise<{ id: string; token: string }> {
  const created = await api<{ agent: { id: string } }>(
    world.server,
    world.adminToken,
    'POST',
    '/agents',
    { ...agent, role },
  )
  const token = (await apiSignIn(world.server, agent)).token
  if (!token) throw new Error(`${agent.email} cannot sign in`)
  return { id: created.agent.id, token }
}

/**
 * Opens the conversation with `customer` as the agent holding `token`, then the customer writes
 * `text` through a signed webhook (which opens the 24-hour window). Resolves with its id.
 */
export async function customerWrites(
  world: World,
  token: string,
  customer: Customer,
  text: string,
): Promise<string> {
  const started = await api<{ conversation: { id: string } }>(
    world.server,
    token,
    'POST',
    '/conversations',
    { phone: `+${customer.waId}`, name: customer.name },
  )
  const response = await world.meta.webhook(
    world.server.url,
    world.meta.messages(customer, textMessage(customer.waId, text)),
  )
  if (response.status !== 200) throw new Error(`the webhook answered ${response.status}`)
  return started.conversation.id
}

/** The sign-in form's labels in Brazilian Portuguese. */
export const PORTUGUESE_SIGN_IN = { email: 'E-mail', password: 'Senha', submit: 'Entrar' }

/**
 * Signs `agent` in on a fresh page (in `locale`, default en-US) and loads the conversation's own
 * address, resolving once its heading (the customer's name) shows.
 */
export async function openConversation(
  world: World,
  conversationId: string,
  options: { agent: Omit<Credentials, 'name'>; customerName: string } & OpenPageOptions,
): Promise<Page> {
  const { agent, customerName, ...pageOptions } = options
  const { page } = await openPage(world.browser, pageOptions)
  const portuguese = pageOptions.locale === 'pt-BR'
  await signInThroughForm(page, world.server, portuguese ? PORTUGUESE_SIGN_IN : undefined, agent)
  await page.goto(`${world.server.url}/inbox/${conversationId}`)
  await page.getByRole('heading', { name: customerName, level: 2 }).waitFor()
  return page
}

/** The open conversation's row of actions (Assign to me, Create ticket, Transfer, Close, More). */
export const conversationActions = (page: Page) =>
  page.getByRole('group', { name: 'Conversation actions' })

/** Create ticket, then in its dialog the subject and priority given (if any), then Create. */
export async function createTicket(
  page: Page,
  fields: { subject?: string; priority?: string } = {},
): Promise<void> {
  await conversationActions(page).getByRole('button', { name: 'Create ticket' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create a ticket' })
  if ((await dialog.getByLabel('Priority').inputValue()) !== 'normal')
    throw new Error('a new ticket’s priority should start as Normal')
  if (fields.subject) await dialog.getByLabel('Subject (optional)').fill(fields.subject)
  if (fields.priority) await dialog.getByLabel('Priority').selectOption(fields.priority)
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await dialog.waitFor({ state: 'hidden' })
}
