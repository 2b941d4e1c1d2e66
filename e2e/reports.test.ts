/**
 * Journey: reports. Customers write (signed webhooks from the Meta test double, with WhatsApp
 * timestamps in March 2024); an admin opens Reports: the Overview draws its peak-hour and shift
 * charts with their tables, a new date range redraws them, Volume draws the weekday × hour heatmap,
 * the zone defaults to the browser's, and the pages speak Brazilian Portuguese.
 */
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
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

// São Paulo is UTC-3 (no DST in 2024). Conversations start on:
//   Mon 2024-03-04 09:10 and 09:40 local, Wed 2024-03-06 14:05, Sat 2024-03-09 23:30 (02:30Z on the 10th).
const STARTS = [
  '2024-03-04T12:10:00Z',
  '2024-03-04T12:40:00Z',
  '2024-03-06T17:05:00Z',
  '2024-03-10T02:30:00Z',
]
const RANGE = 'from=2024-03-04&to=2024-03-10&tz=America%2FSao_Paulo'

beforeAll(async () => {
  meta = await startFakeMeta()
  ;[server, browser] = await Promise.all([startServer(meta.env), launchBrowser()])
  const { token } = await apiSignIn(server)
  if (!token) throw new Error(`the admin cannot sign in:\n${server.output()}`)
  for (const [i, at] of STARTS.entries()) {
    const waId = `55119800000${i}`
    const payload = meta.messages(
      { waId, name: `Customer ${i}` },
      textMessage(waId, 'Olá', { timestamp: new Date(at) }),
      textMessage(waId, 'Tem alguém aí?', { timestamp: new Date(Date.parse(at) + 60_000) }),
    )
    const response = await meta.webhook(server.url, payload)
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`)
  }
  // The webhook is applied asynchronously: wait until the report has every fact.
  const deadline = Date.now() + 10_000
  for (;;) {
    const overview = await api<{ totals: { conversations: number; messagesReceived: number } }>(
      server,
      token,
      'GET',
      `/reports/overview?${RANGE}`,
    )
    if (overview.totals.messagesReceived === 8) break
    if (Date.now() > deadline) throw new Error(`facts not recorded: ${JSON.stringify(overview)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await meta?.close()
})

/** How many pixels of the chart's canvas Chart.js painted (not transparent). */
function paintedPixels(chart: Locator): Promise<number> {
  return chart.evaluate((element) => {
    const node = element.querySelector('canvas')!
    const { data } = node.getContext('2d')!.getImageData(0, 0, node.width, node.height)
    let painted = 0
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++
    return painted
  })
}

async function signedIn(locale = 'en-US'): Promise<Page> {
  const { page } = await openPage(browser, { locale, viewport: { width: 1200, height: 900 } })
  await signInThroughForm(
    page,
    server,
    locale === 'pt-BR' ? { email: 'E-mail', password: 'Senha', submit: 'Entrar' } : undefined,
  )
  return page
}

describe('reports', () => {
  test('the Overview draws its charts, with tables, and redraws for a new range', async () => {
    const page = await signedIn()
    await page.goto(`${server.url}/reports?${RANGE}`)
    await page.waitForURL((url) => url.pathname === '/reports/overview')
    await page.getByRole('heading', { name: 'Reports', exact: true }).waitFor()
    await page
      .getByRole('link', { name: 'Overview', exact: true })
      .and(page.locator('[aria-current="page"]'))
      .waitFor()

    const totals = page.getByRole('definition')
    expect(await totals.allInnerTexts()).toEqual(['4', '8', '0'])

    const peak = page.getByRole('img', {
      name: /4 conversations started; the busiest hour was 09:00 with 2/,
    })
    await peak.waitFor()
    expect(await paintedPixels(peak)).toBeGreaterThan(500)
    const shifts = page.getByRole('img', {
      name: /customer messages per shift: Morning \(06:00–11:59\): 4; Afternoon \(12:00–17:59\): 2; Night \(18:00–05:59\): 2/,
    })
    await shifts.waitFor()
    expect(await paintedPixels(shifts)).toBeGreaterThan(500)

    // The text alternative: the figures as a table.
    const peakFigure = page.getByRole('figure', { name: 'Conversations started per hour' })
    await peakFigure.getByText('Show the figures as a table').click()
    const nine = peakFigure.getByRole('row', { name: '09:00 2' })
    await nine.waitFor()
    expect(await peakFigure.getByRole('row', { name: '23:00 1' }).isVisible()).toBe(true)

    // A shorter range (Wednesday only), through the form.
    await page.getByLabel('From', { exact: true }).fill('2024-03-06')
    await page.getByLabel('To', { exact: true }).fill('2024-03-06')
    await page.getByRole('button', { name: 'Show', exact: true }).click()
    await page.waitForURL((url) => url.searchParams.get('from') === '2024-03-06')
    await page
      .getByRole('img', { name: /1 conversation started; the busiest hour was 14:00 with 1/ })
      .waitFor()
    expect(await totals.allInnerTexts()).toEqual(['1', '2', '0'])

    // A range the server would refuse is explained, not sent.
    await page.getByLabel('From', { exact: true }).fill('2024-03-08')
    await page.getByLabel('To', { exact: true }).fill('2024-03-01')
    await page.getByRole('button', { name: 'Show', exact: true }).click()
    await page
      .getByRole('alert')
      .filter({ hasText: 'The start date must be on or before the end date' })
      .waitFor()
    expect(new URL(page.url()).searchParams.get('from')).toBe('2024-03-06')

    const csv = page.getByRole('link', { name: 'Download CSV', exact: true })
    expect(await csv.getAttribute('href')).toBe(
      '/api/reports/overview?from=2024-03-06&to=2024-03-06&tz=America%2FSao_Paulo&format=csv',
    )
    await page.context().close()
  })

  test('the Volume heatmap renders for a date range', async () => {
    const page = await signedIn()
    await page.goto(`${server.url}/reports/overview?${RANGE}`)
    await page.getByRole('link', { name: 'Volume', exact: true }).click()
    await page.waitForURL(
      (url) => url.pathname === '/reports/volume' && url.searchParams.get('to') === '2024-03-10',
    )
    const heatmap = page.getByRole('img', {
      name: /Heatmap of 4 conversations by weekday and hour; the busiest was Monday 09:00 with 2/,
    })
    await heatmap.waitFor()
    expect(await paintedPixels(heatmap)).toBeGreaterThan(2000)

    const figure = page.getByRole('figure', { name: 'Conversations started by weekday and hour' })
    await figure.getByText('Show the figures as a table').click()
    const saturday = figure.getByRole('row', { name: /^Saturday/ })
    const cells = await saturday.getByRole('cell').allInnerTexts()
    expect(cells).toHaveLength(24)
    expect(cells[23]).toBe('1')
    expect(cells.slice(0, 23).every((cell) => cell === '0')).toBe(true)
    await page.context().close()
  })

  test('the zone defaults to the browser’s', async () => {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'America/Sao_Paulo' })
    const page = await context.newPage()
    await signInThroughForm(page, server)
    await page.goto(`${server.url}/reports`)
    await page.waitForURL((url) => url.pathname === '/reports/overview')
    expect(await page.getByLabel('Time zone', { exact: true }).inputValue()).toBe(
      'America/Sao_Paulo',
    )
    await page
      .getByRole('img', { name: /Bar chart/ })
      .first()
      .waitFor()
    await context.close()
  })

  test('speaks Brazilian Portuguese', async () => {
    const page = await signedIn('pt-BR')
    await page.goto(`${server.url}/reports/volume?${RANGE}`)
    await page.getByRole('heading', { name: 'Relatórios', exact: true }).waitFor()
    await page.getByRole('link', { name: 'Visão geral', exact: true }).waitFor()
    await page.getByRole('img', { name: /Mapa de calor de 4 conversas/ }).waitFor()
    expect(await page.getByLabel('Fuso horário', { exact: true }).inputValue()).toBe(
      'America/Sao_Paulo',
    )
    await page.context().close()
  })
})
