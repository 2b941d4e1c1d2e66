/**
 * Not a journey: refreshes docs/screenshots/inbox-en.png and inbox-pt-BR.png from the built app,
 * small (a 960×600 viewport) so the repository stays light. A few conversations are opened through
 * the API first so the list is not empty.
 */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, test } from 'vitest'
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

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;[server, browser] = await Promise.all([
    startServer(),
    launchBrowser(),
    mkdir(OUT_DIR, { recursive: true }),
  ])
  const { token } = await apiSignIn(server)
  if (!token) throw new Error(`the admin cannot sign in:\n${server.output()}`)
  for (const contact of CONTACTS) await api(server, token, 'POST', '/conversations', contact)
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
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
      viewport: { width: 960, height: 600 },
    })
    await page.goto(`${server.url}/login`)
    await signInThroughForm(page, server, labels)
    // Wait for what the picture should show (synced, every card), not for a fixed time.
    await page.locator('[role="status"][data-state="synced"]').waitFor()
    const list = page.getByRole('list', { name: conversations })
    for (const { name } of CONTACTS) await list.getByText(name, { exact: true }).waitFor()
    await page.screenshot({ path: path.join(OUT_DIR, `inbox-${locale}.png`) })
    await context.close()
  })
}
