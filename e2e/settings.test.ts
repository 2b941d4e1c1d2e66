/**
 * Journey: the admin Settings page. An agent who opens /settings is refused and their browser asks
 * for no settings at all. The admin, on a demo server whose Graph base is the Meta test double,
 * connects the real number (the demo badge goes away at once), sees secrets only as "ends in …",
 * tests the connection (and a wrong token), adds an agent and changes their role (asked first: it
 * signs them out everywhere), deactivates them (their session ends at once), resets a password,
 * moves the shifts, and finds all of it in the audit log. The agents table fits its card on a
 * desktop. The pages also speak Brazilian Portuguese and fit a phone's width.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startFakeMeta, type FakeMeta } from '../sync-server/test/helpers/fake-meta.js'
import {
  api,
  apiSignIn,
  launchBrowser,
  openPage,
  signInThroughForm,
  startServer,
  type TestServer,
} from './helpers.js'
import { addAgent, type World } from './world.js'

let world: World
let meta: FakeMeta
let server: TestServer
let browser: Browser
const ana = { name: 'Ana Souza', email: 'ana@e2e.atende.test', password: 'ana-password-123' }
const bruno = { name: 'Bruno Lima', email: 'bruno@e2e.atende.test', password: 'bruno-first-pass' }

beforeAll(async () => {
  meta = await startFakeMeta()
  // Demo (no WhatsApp credentials: the simulator runs), but saved settings call the fake Meta.
  ;[server, browser] = await Promise.all([
    startServer({ WHATSAPP_API_BASE: meta.apiBase }),
    launchBrowser(),
  ])
  const adminToken = (await apiSignIn(server)).token
  if (!adminToken) throw new Error(`the admin cannot sign in:\n${server.output()}`)
  world = {
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
  await addAgent(world, ana)
})

afterAll(() => world?.close())

async function signedIn(
  credentials = server.admin,
  options: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<Page> {
  const { page } = await openPage(browser, { viewport: { width: 1280, height: 720 }, ...options })
  await signInThroughForm(
    page,
    server,
    options.locale === 'pt-BR'
      ? { email: 'E-mail', password: 'Senha', submit: 'Entrar' }
      : undefined,
    credentials,
  )
  return page
}

const appNav = (page: Page) => page.getByRole('navigation', { name: 'Sections' })
const status = (page: Page, text: string | RegExp) =>
  page.getByRole('status').filter({ hasText: text })
const toast = (page: Page, text: string) => page.locator('.toast').filter({ hasText: text })

describe('settings', () => {
  test('an agent is refused, and no settings are asked of the server', async () => {
    const page = await signedIn(ana)
    const asked: string[] = []
    page.on('request', (request) => {
      const { pathname } = new URL(request.url())
      if (pathname.startsWith('/api/settings') || pathname.startsWith('/api/audit'))
        asked.push(pathname)
    })
    await appNav(page).getByRole('link', { name: 'Inbox' }).waitFor()
    expect(await appNav(page).getByRole('link', { name: 'Settings' }).count()).toBe(0)
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0)

    for (const path of ['/settings', '/settings/agents', '/settings/audit']) {
      await page.goto(`${server.url}${path}`)
      await page.getByRole('heading', { name: 'Only admins can open settings' }).waitFor()
      expect(await page.getByRole('navigation', { name: 'Settings pages' }).count()).toBe(0)
      expect(await page.getByRole('form').count()).toBe(0)
      expect(await page.getByLabel('Account name').count()).toBe(0)
      expect(await page.getByRole('table').count()).toBe(0)
    }
    // The header (without Settings) is still there, and the way back.
    await appNav(page).getByRole('link', { name: 'Inbox' }).waitFor()
    await page.getByRole('link', { name: 'Back to the inbox' }).waitFor()
    expect(asked).toEqual([])
    // The server agrees.
    const token = (await apiSignIn(server, ana)).token!
    const response = await fetch(`${server.url}/api/settings`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(response.status).toBe(403)
    await page.context().close()
  })

  test('the admin connects WhatsApp: secrets stay hidden, the test reports success or the error', async () => {
    const page = await signedIn()
    // The inbox's gear and the header both lead to Settings, which opens on WhatsApp.
    await page.getByRole('link', { name: 'Settings' }).first().waitFor()
    await appNav(page).getByRole('link', { name: 'Settings' }).click()
    await page.waitForURL((url) => url.pathname === '/settings/whatsapp')
    await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor()
    await page
      .getByRole('navigation', { name: 'Settings pages' })
      .getByRole('link', { name: 'WhatsApp' })
      .and(page.locator('[aria-current="page"]'))
      .waitFor()
    await page.getByText('Demo: simulated WhatsApp').first().waitFor()
    await page.getByText('the demo simulator (no real WhatsApp)').waitFor()
    expect(await page.getByLabel('Graph API version').inputValue()).toBe('v25.0')

    // The policies links open Meta's pages safely.
    for (const name of ['WhatsApp Business Policy', 'WhatsApp Commerce Policy']) {
      const link = page.getByRole('link', { name })
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer')
    }
    expect(
      await page.getByRole('link', { name: 'WhatsApp Business Policy' }).getAttribute('href'),
    ).toBe('https://business.whatsapp.com/policy')
    expect(
      await page.getByRole('link', { name: 'WhatsApp Commerce Policy' }).getAttribute('href'),
    ).toBe('https://www.whatsapp.com/legal/commerce-policy')

    const verifyToken = 'e2e-verify-token-42'
    await page.getByLabel('Account name').fill('Loja Atende')
    await page.getByLabel('Display number').fill('+1 555 078 3881')
    await page.getByLabel('Phone number ID').fill(meta.phoneNumberId)
    await page.getByLabel('Business account ID').fill(meta.business.wabaId)
    await page.getByLabel('Access token').fill(meta.accessToken)
    await page.getByLabel('App secret').fill(meta.appSecret)
    await page.getByLabel('Verify token').fill(verifyToken)

    // Not without the policies.
    const policies = page.getByRole('checkbox', {
      name: "I have read WhatsApp's Business and Commerce policies",
    })
    expect(await policies.isChecked()).toBe(false)
    await page.getByRole('button', { name: 'Save WhatsApp' }).click()
    await page
      .getByRole('alert')
      .filter({ hasText: "Confirm that you have read WhatsApp's policies." })
      .waitFor()

    await policies.check()
    await page.getByRole('button', { name: 'Save WhatsApp' }).click()
    await toast(page, 'WhatsApp settings saved').waitFor()
    // At once: the layout reloads, the channel is the real one, the demo badge is gone.
    await page.getByText('the settings on this page').waitFor()
    await page.getByText('Demo: simulated WhatsApp').waitFor({ state: 'detached' })
    expect(await appNav(page).getByRole('link', { name: 'Simulator' }).count()).toBe(0)

    // Secrets: empty fields showing only their last four characters, nowhere in the page.
    const token = page.getByLabel('Access token')
    expect(await token.inputValue()).toBe('')
    expect(await token.getAttribute('placeholder')).toBe(
      `set, ends in ${meta.accessToken.slice(-4)}`,
    )
    expect(await page.getByLabel('App secret').getAttribute('placeholder')).toBe(
      `set, ends in ${meta.appSecret.slice(-4)}`,
    )
    const html = await page.content()
    expect(html).not.toContain(meta.accessToken)
    expect(html).not.toContain(meta.appSecret)

    // What to paste into Meta's dashboard, with Copy buttons.
    await page.getByText(`${server.url}/webhooks/whatsapp`, { exact: true }).waitFor()
    await page.getByRole('button', { name: 'Copy callback URL' }).waitFor()
    await page.locator('code', { hasText: verifyToken }).waitFor()
    await page.getByRole('button', { name: 'Copy verify token' }).waitFor()
    // …and Meta's verification now gets the saved token back, without a restart.
    const verified = await meta.verify(server.url, { token: verifyToken, challenge: '8080' })
    expect(verified.status).toBe(200)
    expect(await verified.text()).toBe('8080')

    // Test connection with the saved token (the field is empty).
    await page.getByRole('button', { name: 'Test connection' }).click()
    await status(page, 'Connected: Atende Demo').waitFor()

    // A wrong token in the field: the readable failure.
    await token.fill('EAAGwrong-token')
    await page.getByRole('button', { name: 'Test connection' }).click()
    await status(page, /Connection failed: .*access token/).waitFor()

    // After a reload the saved values are back (and the wrong token was never saved).
    await page.reload()
    expect(await page.getByLabel('Account name').inputValue()).toBe('Loja Atende')
    expect(await page.getByLabel('Phone number ID').inputValue()).toBe(meta.phoneNumberId)
    expect(await page.getByLabel('Access token').getAttribute('placeholder')).toBe(
      `set, ends in ${meta.accessToken.slice(-4)}`,
    )
    expect(await policies.isChecked()).toBe(true)

    // Read receipts: one checkbox, saved at once.
    const receipts = page.getByRole('checkbox', {
      name: 'Send read receipts when an agent opens a conversation',
    })
    expect(await receipts.isChecked()).toBe(true)
    await receipts.uncheck()
    await toast(page, 'Read receipts are off').waitFor()
    const saved = await api<{ enabled: boolean }>(
      server,
      world.adminToken,
      'GET',
      '/settings/read-receipts',
    )
    expect(saved.enabled).toBe(false)
    await page.context().close()
  })

  test('the admin adds an agent, changes the role, deactivates, reactivates, resets the password', async () => {
    const page = await signedIn()
    await page.goto(`${server.url}/settings/agents`)
    const team = page.getByRole('table', { name: 'Team' })
    await team.getByRole('row', { name: /Ana Souza/ }).waitFor()

    // Add.
    const add = page.getByRole('form', { name: 'Add agent' })
    await add.getByLabel('Name').fill(bruno.name)
    await add.getByLabel('Email').fill(bruno.email)
    await add.getByLabel('Password').fill(bruno.password)
    await add.getByLabel('Role').selectOption('agent')
    await add.getByRole('button', { name: 'Add agent' }).click()
    await toast(page, 'Bruno Lima added').waitFor()
    const row = team.getByRole('row', { name: /Bruno Lima/ })
    await row.waitFor()
    expect(await row.getByRole('cell', { name: bruno.email }).count()).toBe(1)
    expect(await add.getByLabel('Name').inputValue()).toBe('')

    // The same email again: refused, in words.
    await add.getByLabel('Name').fill('Bruno Again')
    await add.getByLabel('Email').fill(bruno.email)
    await add.getByLabel('Password').fill('another-pass-1')
    await add.getByRole('button', { name: 'Add agent' }).click()
    await add
      .getByRole('alert')
      .filter({ hasText: 'Another agent already uses this email.' })
      .waitFor()

    // Role: asked first, saying what happens; Cancel keeps the old one, Confirm signs him out.
    const listed = async () =>
      (
        await api<{ agents: { email: string; role: string; active: boolean }[] }>(
          server,
          world.adminToken,
          'GET',
          '/agents',
        )
      ).agents.find((agent) => agent.email === bruno.email)!
    const role = row.getByRole('combobox', { name: 'Role of Bruno Lima' })
    await role.selectOption('admin')
    const askRole = page.getByRole('dialog', { name: 'Make Bruno Lima an admin?' })
    await askRole
      .getByText('They will be signed out of every device and must sign in again.')
      .waitFor()
    await askRole.getByRole('button', { name: 'Cancel' }).click()
    await askRole.waitFor({ state: 'hidden' })
    expect(await role.inputValue()).toBe('agent')
    expect((await listed()).role).toBe('agent')

    const brunoBefore = (await apiSignIn(server, bruno)).token!
    await role.selectOption('admin')
    await askRole.getByRole('button', { name: 'Change role' }).click()
    await toast(page, 'Bruno Lima is now Admin').waitFor()
    await askRole.waitFor({ state: 'hidden' })
    expect(await role.inputValue()).toBe('admin')
    expect((await listed()).role).toBe('admin')
    const signedOut = await fetch(`${server.url}/api/me`, {
      headers: { authorization: `Bearer ${brunoBefore}` },
    })
    expect(signedOut.status).toBe(401)
    await role.selectOption('agent')
    await page
      .getByRole('dialog', { name: 'Make Bruno Lima an agent?' })
      .getByRole('button', { name: 'Change role' })
      .click()
    await toast(page, 'Bruno Lima is now Agent').waitFor()

    // Deactivate: confirmed, and his session ends at once.
    const brunoToken = (await apiSignIn(server, bruno)).token!
    await row.getByRole('button', { name: 'Deactivate (Bruno Lima)' }).click()
    const confirm = page.getByRole('dialog', { name: 'Deactivate Bruno Lima?' })
    await confirm.getByText('Their sessions end at once').waitFor()
    await confirm.getByRole('button', { name: 'Deactivate' }).click()
    await confirm.waitFor({ state: 'hidden' })
    await row.getByRole('cell', { name: 'Deactivated' }).waitFor()
    const me = await fetch(`${server.url}/api/me`, {
      headers: { authorization: `Bearer ${brunoToken}` },
    })
    expect(me.status).toBe(401)
    expect((await apiSignIn(server, bruno)).token).toBeUndefined()

    // Reactivate.
    await row.getByRole('button', { name: 'Reactivate (Bruno Lima)' }).click()
    await row.getByRole('cell', { name: 'Active', exact: true }).waitFor()
    expect((await listed()).active).toBe(true)

    // Reset the password: the new one signs in, the old one no longer does.
    await row.getByRole('button', { name: 'Reset password (Bruno Lima)' }).click()
    const reset = page.getByRole('dialog', { name: 'New password for Bruno Lima' })
    await reset.getByLabel('New password').fill('bruno-new-pass-2')
    await reset.getByRole('button', { name: 'Set password' }).click()
    await toast(page, 'New password set for Bruno Lima').waitFor()
    await reset.waitFor({ state: 'hidden' })
    expect((await apiSignIn(server, { ...bruno, password: 'bruno-new-pass-2' })).token).toBeTruthy()
    expect((await apiSignIn(server, bruno)).token).toBeUndefined()
    await page.context().close()
  })

  test('the agents table fits its card at 1400 and 1280 px: every Deactivate button shows whole', async () => {
    const cases = [
      { width: 1400, locale: 'en-US', deactivate: 'Deactivate (Ana Souza)' },
      { width: 1400, locale: 'pt-BR', deactivate: 'Desativar (Ana Souza)' },
      { width: 1280, locale: 'pt-BR', deactivate: 'Desativar (Ana Souza)' },
    ]
    for (const { width, locale, deactivate } of cases) {
      const page = await signedIn(server.admin, { locale, viewport: { width, height: 900 } })
      await page.goto(`${server.url}/settings/agents`)
      const button = page.getByRole('button', { name: deactivate })
      await button.waitFor()
      const card = page.locator('section.card').filter({ has: button })
      const [outer, inner] = [await card.boundingBox(), await button.boundingBox()]
      const at = `at ${width} px in ${locale}`
      expect(outer && inner, at).toBeTruthy()
      expect(inner!.x, at).toBeGreaterThanOrEqual(outer!.x)
      expect(inner!.x + inner!.width, at).toBeLessThanOrEqual(outer!.x + outer!.width)
      // Nor is anything of the table scrolled out of sight inside the card.
      const hidden = await card
        .locator('.table-wrap')
        .evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth)
      expect(hidden, at).toBeLessThanOrEqual(0)
      await page.context().close()
    }
  })

  test('the admin moves the shifts and finds them saved after a reload', async () => {
    const page = await signedIn()
    await page.goto(`${server.url}/settings/shifts`)
    const morning = page.getByLabel('Morning starts')
    await morning.waitFor()
    expect(await morning.inputValue()).toBe('06:00')
    await morning.fill('07:00')
    await page.getByLabel('Afternoon starts').fill('13:00')
    await page.getByLabel('Night starts').fill('19:00')
    await page.getByText('Morning: 07:00–12:59').waitFor()
    await page.getByRole('button', { name: 'Save shifts' }).click()
    await toast(page, 'Shifts saved').waitFor()

    await page.reload()
    expect(await page.getByLabel('Morning starts').inputValue()).toBe('07:00')
    expect(await page.getByLabel('Afternoon starts').inputValue()).toBe('13:00')
    expect(await page.getByLabel('Night starts').inputValue()).toBe('19:00')
    const saved = await api<{ shifts: Record<string, string> }>(
      server,
      world.adminToken,
      'GET',
      '/reports/shifts',
    )
    expect(saved.shifts).toEqual({ morning: '07:00', afternoon: '13:00', night: '19:00' })
    await page.context().close()
  })

  test('the admin keeps templates and canned responses: create, edit, delete', async () => {
    const page = await signedIn()
    await page.goto(`${server.url}/settings/templates`)
    await page.getByText('No templates registered yet.').waitFor()
    await page.getByRole('button', { name: 'New template' }).click()
    let editor = page.getByRole('dialog', { name: 'New template' })
    await editor.getByLabel('Name').fill('pedido_enviado')
    await editor.getByLabel('Language').fill('pt_BR')
    await editor.getByLabel('Category').selectOption('UTILITY')
    await editor.getByLabel('Body').fill('Olá {{1}}, seu pedido {{2}} foi enviado.')
    await editor.getByText('2 parameters').waitFor()
    await editor.getByRole('button', { name: 'Save' }).click()
    await toast(page, 'Template registered').waitFor()
    const templates = page.getByRole('table', { name: 'Message templates' })
    await templates.getByRole('row', { name: /pedido_enviado/ }).waitFor()

    // A gap in the parameters: the server's reason, shown in the dialog.
    await page.getByRole('button', { name: 'Edit pedido_enviado (pt_BR)' }).click()
    editor = page.getByRole('dialog', { name: 'Edit template' })
    await editor.getByLabel('Body').fill('Olá {{1}}, seu pedido {{3}} saiu.')
    await editor.getByRole('button', { name: 'Save' }).click()
    await editor
      .getByRole('alert')
      .filter({ hasText: /without gaps/ })
      .waitFor()
    await editor.getByLabel('Body').fill('Olá {{1}}, seu pedido saiu.')
    await editor.getByRole('button', { name: 'Save' }).click()
    await toast(page, 'Template saved').waitFor()
    await templates.getByText('Olá {{1}}, seu pedido saiu.').waitFor()

    await page.getByRole('button', { name: 'Delete pedido_enviado (pt_BR)' }).click()
    await page
      .getByRole('dialog', { name: 'Delete the template pedido_enviado?' })
      .getByRole('button', { name: 'Delete' })
      .click()
    await toast(page, 'Template deleted').waitFor()
    await page.getByText('No templates registered yet.').waitFor()

    await page.goto(`${server.url}/settings/canned-responses`)
    await page.getByRole('button', { name: 'New canned response' }).click()
    editor = page.getByRole('dialog', { name: 'New canned response' })
    await editor.getByLabel('Title').fill('Saudação')
    await editor.getByLabel('Text', { exact: true }).fill('Olá! Como posso ajudar?')
    await editor.getByLabel('Use in').selectOption('internal')
    await editor.getByRole('button', { name: 'Save' }).click()
    await toast(page, 'Canned response created').waitFor()
    const canned = page.getByRole('table', { name: 'Canned responses' })
    await canned.getByRole('row', { name: /Saudação.*Internal notes/ }).waitFor()
    await page.getByRole('button', { name: 'Edit Saudação' }).click()
    editor = page.getByRole('dialog', { name: 'Edit canned response' })
    expect(await editor.getByLabel('Text', { exact: true }).inputValue()).toBe(
      'Olá! Como posso ajudar?',
    )
    await editor.getByLabel('Text', { exact: true }).fill('Olá! Em que posso ajudar?')
    await editor.getByRole('button', { name: 'Save' }).click()
    await toast(page, 'Canned response saved').waitFor()
    await canned.getByText('Olá! Em que posso ajudar?').waitFor()
    await page.getByRole('button', { name: 'Delete Saudação' }).click()
    await page
      .getByRole('dialog', { name: 'Delete “Saudação”?' })
      .getByRole('button', { name: 'Delete' })
      .click()
    await toast(page, 'Canned response deleted').waitFor()
    await page.getByText('No canned responses yet.').waitFor()
    await page.context().close()
  })

  test('the audit log lists what was done, in words', async () => {
    const page = await signedIn()
    await page.goto(`${server.url}/settings/audit`)
    const log = page.getByRole('table', { name: 'Audit log' })
    await log.waitFor()
    const row = (what: string, details: RegExp) =>
      log.getByRole('row').filter({ hasText: what }).filter({ hasText: details }).first()
    await row('Changed the WhatsApp channel', /Account name/).waitFor()
    await row('Changed read receipts', /off/).waitFor()
    await row('Added an agent', /Bruno Lima \(bruno@e2e\.atende\.test\)/).waitFor()
    await row('Changed an agent', /Bruno Lima.*role: Admin/).waitFor()
    await row('Changed an agent', /Bruno Lima.*deactivated/).waitFor()
    await row('Changed an agent', /Bruno Lima.*reactivated/).waitFor()
    await row('Changed an agent', /Bruno Lima.*new password/).waitFor()
    await row('Changed the shifts', /Morning 07:00/).waitFor()
    await row('Registered a template', /pedido_enviado \(pt_BR\) · Utility/).waitFor()
    await row('Changed a template', /pedido_enviado.*changed: Body/).waitFor()
    await row('Deleted a template', /pedido_enviado/).waitFor()
    await row('Created a canned response', /Saudação · Internal notes/).waitFor()
    await row('Changed a canned response', /Saudação/).waitFor()
    await row('Deleted a canned response', /Saudação/).waitFor()
    // No secret ever reaches the log.
    const html = await page.content()
    expect(html).not.toContain(meta.accessToken)
    expect(html).not.toContain('bruno-new-pass-2')
    await page.context().close()
  })

  test('in Brazilian Portuguese, on a phone-sized screen', async () => {
    const page = await signedIn(server.admin, {
      locale: 'pt-BR',
      viewport: { width: 390, height: 800 },
    })
    await page.goto(`${server.url}/settings/agents`)
    await page.getByRole('heading', { name: 'Configurações', exact: true }).waitFor()
    const pages = page.getByRole('navigation', { name: 'Páginas de configurações' })
    for (const name of ['WhatsApp', 'Agentes', 'Respostas prontas', 'Modelos', 'Turnos']) {
      await pages.getByRole('link', { name, exact: true }).waitFor()
    }
    await page.getByRole('table', { name: 'Equipe' }).waitFor()
    await page.getByRole('form', { name: 'Adicionar agente' }).getByLabel('Senha').waitFor()
    // The page itself never scrolls sideways (wide tables scroll in their own box).
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBeLessThanOrEqual(0)

    await pages.getByRole('link', { name: 'WhatsApp' }).click()
    await page.getByLabel('Nome da conta').waitFor()
    await page.getByRole('button', { name: 'Salvar WhatsApp' }).waitFor()
    await page.getByRole('button', { name: 'Testar conexão' }).waitFor()
    await page.getByRole('button', { name: 'Copiar URL de callback' }).waitFor()
    await page.context().close()
  })
})
