/**
 * Journey: the browser's own defences are on. Every response carries the hardening headers, pages
 * have a strict Content-Security-Policy (SvelteKit's hashed bootstrap script and nothing else
 * inline) under which the whole app works without a single violation, an injected inline script
 * does not run, a page on another origin cannot act with the agent's cookie, and the session
 * cookie is `Secure` behind an https proxy.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { imageMessage, type FakeMeta } from '../sync-server/test/helpers/fake-meta.js'
import { openPage, signInThroughForm, type TestServer } from './helpers.js'
import { customerWrites, startWorld, type World } from './world.js'

let world: World
let meta: FakeMeta
let server: TestServer
let browser: Browser
let conversationId: string
const customer = { waId: '5511976543210', name: 'Paula Reis' }
/** A real 1×1 PNG, so the browser has something to decode. */
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
)

beforeAll(async () => {
  // A fake microphone that needs no prompt, for the voice message.
  world = await startWorld({
    browserArgs: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
  })
  ;({ meta, server, browser } = world)
  conversationId = await customerWrites(world, world.adminToken, customer, 'Bom dia, tudo bem?')
  const mediaId = meta.addMedia(new Uint8Array(PIXEL_PNG), 'image/png')
  const response = await meta.webhook(
    server.url,
    meta.messages(
      customer,
      imageMessage(customer.waId, {
        id: mediaId,
        mime_type: 'image/png',
        sha256: meta.media(mediaId)!.sha256,
        caption: 'Foto do pedido',
      }),
    ),
  )
  if (response.status !== 200) throw new Error(`the webhook answered ${response.status}`)
})

afterAll(() => world?.close())

interface Violation {
  directive: string
  blocked: string
}

/**
 * Records every CSP violation the page reports: the `securitypolicyviolation` event (installed
 * before any of the app's scripts run) and Chromium's console message, in case one escapes it.
 */
async function watchViolations(page: Page): Promise<{ all(): Promise<Violation[]> }> {
  const messages: string[] = []
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) messages.push(message.text())
  })
  await page.addInitScript(() => {
    const seen: { directive: string; blocked: string }[] = []
    ;(window as unknown as { __violations: typeof seen }).__violations = seen
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push({ directive: event.violatedDirective, blocked: event.blockedURI }),
    )
  })
  return {
    async all() {
      const events = await page.evaluate(
        () => (window as unknown as { __violations?: Violation[] }).__violations ?? [],
      )
      return [...events, ...messages.map((text) => ({ directive: 'console', blocked: text }))]
    },
  }
}

describe('headers', () => {
  test('the HTML shell has a strict, hashed CSP and the hardening headers', async () => {
    const response = await fetch(`${server.url}/login`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expectHardening(response.headers)
    const csp = directives(response.headers.get('content-security-policy'))
    expect(csp.get('script-src')).toContain("'self'")
    expect(csp.get('script-src')!.some((source) => source.startsWith("'sha256-"))).toBe(true)
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'")
    expect(csp.get('script-src')).not.toContain("'unsafe-eval'")
    expect(csp.get('default-src')).toEqual(["'self'"])
    expect(csp.get('object-src')).toEqual(["'none'"])
    expect(csp.get('base-uri')).toEqual(["'self'"])
    expect(csp.get('frame-ancestors')).toEqual(["'none'"])
  })

  test('static assets and the service worker carry them too, without a page CSP', async () => {
    const html = await (await fetch(`${server.url}/login`)).text()
    const asset = /\/_app\/immutable\/[^"]+\.js/.exec(html)?.[0]
    expect(asset).toBeDefined()
    for (const path of [asset!, '/service-worker.js']) {
      const response = await fetch(`${server.url}${path}`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/javascript/)
      expectHardening(response.headers)
    }
  })

  test('API answers forbid everything a browser could do with them', async () => {
    for (const path of ['/api/me', '/healthz', '/api/nothing-here']) {
      const response = await fetch(`${server.url}${path}`)
      expectHardening(response.headers)
      expect(response.headers.get('content-security-policy')).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      )
      expect(response.headers.get('strict-transport-security')).toBeNull()
    }
    // Strict-Transport-Security only when the client came over https (here: through a proxy).
    const https = await fetch(`${server.url}/healthz`, {
      headers: { 'x-forwarded-proto': 'https' },
    })
    expect(https.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/)
  })

  test('the session cookie is Secure only when the sign-in came over https', async () => {
    const signIn = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(server.admin),
      })
    const overHttps = await signIn({ 'x-forwarded-proto': 'https' })
    expect(overHttps.status).toBe(200)
    expect(overHttps.headers.get('set-cookie')).toMatch(/atende_session=.*;\s*Secure/i)
    const overHttp = await signIn({})
    expect(overHttp.status).toBe(200)
    const cookie = overHttp.headers.get('set-cookie')
    expect(cookie).toMatch(/atende_session=.*HttpOnly/i)
    expect(cookie).not.toMatch(/Secure/i)
  })
})

describe('in the browser', () => {
  test('the whole app works under the CSP without a violation', async () => {
    const { context, page } = await openPage(browser)
    await context.grantPermissions(['microphone', 'notifications'], { origin: server.url })
    const violations = await watchViolations(page)
    await signInThroughForm(page, server)

    // The inbox, live over the sync socket: the customer's conversation and their messages.
    await page.getByText(customer.name).first().waitFor()
    await page.goto(`${server.url}/inbox/${conversationId}`)
    await page.getByRole('heading', { name: customer.name, level: 2 }).waitFor()
    const thread = page.getByRole('region', { name: 'Messages' })
    await thread.getByText('Bom dia, tudo bem?').waitFor()
    // The customer's photo, served by /api/media, decoded.
    const photo = thread.getByRole('img', { name: 'Foto do pedido' })
    await photo.scrollIntoViewIfNeeded()
    await expect
      .poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(1)

    // A voice message: recorded in the page, sent, then played from /api/media.
    const sendsBefore = meta.sends.length
    await page.getByRole('button', { name: 'Record a voice message' }).click()
    await page.getByText('Recording 0:01').waitFor()
    await page.getByRole('button', { name: 'Send voice message' }).click()
    await thread.locator('article', { hasText: 'Voice message' }).locator('audio').waitFor()
    await meta.waitForSends(sendsBefore + 1)

    // The emoji picker, with its data file: picking an emoji puts it in the composer.
    await page.getByRole('button', { name: 'Emoji', exact: true }).click()
    const emoji = page.locator('emoji-picker').getByRole('menuitem').first()
    await emoji.waitFor()
    const picked = (await emoji.innerText()).trim()
    expect(picked).toBeTruthy()
    await emoji.click()
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Message' }).inputValue())
      .toContain(picked)

    // Reports: Chart.js draws on canvas; the heatmap too.
    await page.goto(`${server.url}/reports/overview`)
    await page.getByRole('heading', { name: 'Reports', exact: true }).waitFor()
    await page.getByRole('img', { name: /^Bar chart: 1 conversation started/ }).waitFor()
    await page.getByRole('link', { name: 'Volume', exact: true }).click()
    await page.getByRole('img', { name: /^Heatmap of 1 conversation/ }).waitFor()

    // Tickets.
    await page.goto(`${server.url}/tickets`)
    await page.getByRole('heading', { name: 'Tickets', level: 1 }).waitFor()

    // The service worker registered (SvelteKit's inline bootstrap did it, under its hash).
    await expect
      .poll(() => page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())))
      .toBe(true)

    expect(await violations.all()).toEqual([])
    await context.close()
  })

  test('an inline script injected into the page does not run', async () => {
    const { context, page } = await openPage(browser)
    const violations = await watchViolations(page)
    await page.goto(`${server.url}/login`)
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor()
    await page.evaluate(() => {
      const script = document.createElement('script')
      script.textContent = 'window.__injected = true'
      document.body.append(script)
      const image = document.createElement('img')
      image.setAttribute('src', 'x:')
      image.setAttribute('onerror', 'window.__injected = true')
      document.body.append(image)
    })
    await expect.poll(async () => (await violations.all()).length).toBeGreaterThanOrEqual(2)
    expect(
      await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected),
    ).toBeUndefined()
    expect((await violations.all()).map((violation) => violation.directive)).toContain(
      'script-src-elem',
    )
    await context.close()
  })

  test('a page on another origin cannot act with the agent’s cookie', async () => {
    const { context, page } = await openPage(browser)
    await signInThroughForm(page, server)
    const me = async () => (await context.request.get(`${server.url}/api/me`)).status()
    expect(await me()).toBe(200)

    // Another origin on the same machine (another port: same site, so the SameSite=Lax cookie
    // goes along; only the server's own check stands between it and the session).
    const foreign = await startForeignSite(server.url)
    try {
      const refused = page.waitForResponse(
        (response) =>
          response.url() === `${server.url}/api/auth/logout` &&
          response.request().method() === 'POST',
      )
      await page.goto(foreign.url, { waitUntil: 'commit' })
      const response = await refused
      expect(response.status()).toBe(403)
      // The cookie did go with it: it was the server that said no.
      expect((await response.request().allHeaders())['cookie']).toMatch(/atende_session=/)
      expect(await response.json()).toMatchObject({ error: { code: 'cross_site_request' } })
    } finally {
      await new Promise((resolve) => foreign.server.close(resolve))
    }

    // Still signed in: the session works, in the API and in the app.
    expect(await me()).toBe(200)
    await page.goto(`${server.url}/inbox`)
    await page.getByText(customer.name).first().waitFor()
    expect(new URL(page.url()).pathname).toBe('/inbox')
    await context.close()
  })
})

/**
 * A one-page site on another loopback port whose page, once opened, submits a form that signs the
 * visitor out of ours: the classic cross-site request forgery, a top-level POST with the cookie.
 */
async function startForeignSite(target: string): Promise<{ url: string; server: Server }> {
  const page = `<!doctype html><meta charset="utf-8"><title>elsewhere</title>
<form method="post" action="${target}/api/auth/logout"></form>
<script>document.forms[0].submit()</script>`
  const site = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    response.end(page)
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  const { port } = site.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/`, server: site }
}

function expectHardening(headers: Headers): void {
  expect(headers.get('x-content-type-options')).toBe('nosniff')
  expect(headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
  expect(headers.get('x-frame-options')).toBe('DENY')
  expect(headers.get('cross-origin-opener-policy')).toBe('same-origin')
  expect(headers.get('cross-origin-resource-policy')).toBe('same-origin')
}

/** `Content-Security-Policy` as directive → sources. */
function directives(header: string | null): Map<string, string[]> {
  expect(header).toBeTruthy()
  return new Map(
    header!
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name!, sources]),
  )
}
