/**
 * Not a journey: refreshes docs/screenshots/inbox-en.png and inbox-pt-BR.png from the built app
 * (1280×720, so all three columns show). A few conversations are opened through the API and a
 * customer writes through the fake Meta, so the list and the thread are not empty.
 */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, test } from 'vitest'
import { startFakeMeta, textMessage, type FakeMeta } from '../sync-server/test/helpers/fake-meta.js'
import {
  api,
  apiSignIn,
  launchBrowser,
  openPage,
  REPO_ROOT,
  signInThroughForm,
  startServer,
  type TestServer,
} from './helpers.js'

const OUT_DIR = path.join(REPO_ROOT, 'docs/screenshots')
const CONTACTS = [
  { phone: '+5511987654321', name: 'Maria Silva' },
  { phone: '+5521998765432', name: 'João Pereira' },
  { phone: '+5531991234567', name: 'Padaria Pão Quente' },
]

let meta: FakeMeta
let server: TestServer
let browser: Browser

beforeAll(async () => {
  meta = await startFakeMeta()
  ;[server, browser] = await Promise.all([
    startServer(meta.env),
    launchBrowser(),
    mkdir(OUT_DIR, { recursive: true }),
  ])
  const { token } = await apiSignIn(server)
  if (!token) throw new Error(`the admin cannot sign in:\n${server.output()}`)
  for (const contact of CONTACTS) await api(server, token, 'POST', '/conversations', contact)
  const maria = { waId: CONTACTS[0]!.phone.slice(1), name: CONTACTS[0]!.name }
  await meta.webhook(
    server.url,
    meta.messages(maria, textMessage(maria.waId, 'Oi! Meu pedido #4821 ainda não chegou.')),
  )
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await meta?.close()
})

const cases = [
  {
    locale: 'en',
    labels: { email: 'Email', password: 'Password', submit: 'Sign in' },
    conversations: 'Conversations',
  },
  {
    locale: 'pt-BR',
    labels: { email: 'E-mail', password: 'Senha', submit: 'Entrar' },
    conversations: 'Conversas',
  },
]

for (const { locale, labels, conversations } of cases) {
  test(`screenshot of /inbox in ${locale}`, async () => {
    const { context, page } = await openPage(browser, {
      locale,
      viewport: { width: 1280, height: 720 },
    })
    await page.goto(`${server.url}/login`)
    await signInThroughForm(page, server, labels)
    // Wait for what the picture should show (synced, every card), not for a fixed time.
    await page.locator('[role="status"][data-state="synced"]').waitFor()
    const list = page.getByRole('list', { name: conversations })
    for (const { name } of CONTACTS) await list.getByText(name, { exact: true }).waitFor()
    await list.getByText(CONTACTS[0]!.name, { exact: true }).click()
    const thread = page.getByRole('region', { name: CONTACTS[0]!.name })
    await thread.getByText('Oi! Meu pedido #4821 ainda não chegou.').waitFor()
    await page
      .getByRole('complementary')
      .getByRole('heading', { name: CONTACTS[0]!.name, level: 3 })
      .waitFor()
    await page.locator('[role="status"][data-state="synced"]').waitFor()
    await page.screenshot({ path: path.join(OUT_DIR, `inbox-${locale}.png`) })
    await context.close()
  })
}
