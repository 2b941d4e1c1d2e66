/**
 * Not a journey: a screenshot check. On the main screens (the inbox with a conversation open and
 * another agent viewing it, tickets, reports, settings) no character on screen may render as the
 * font's .notdef glyph (the empty box shown where no installed font has the character, as an emoji
 * used as an icon does on a machine without a colour-emoji font). Each character outside plain
 * Latin is drawn on a canvas in its element's font and compared, pixel for pixel, with the drawing
 * of a codepoint no font has (U+0378, unassigned): the same pixels mean the box.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { orderMessage, REFERENCE_ORDER } from '../sync-server/test/helpers/reference-examples.js'
import { openPage, signInThroughForm } from './helpers.js'
import { addAgent, customerWrites, openConversation, startWorld, type World } from './world.js'

let world: World
let conversationId: string
const ana = { name: 'Ana Souza', email: 'ana@glyphs.atende.test', password: 'ana-password-123' }
const customer = { waId: '5511955554444', name: 'Paula Reis' }

beforeAll(async () => {
  world = await startWorld()
  const { token } = await addAgent(world, ana)
  conversationId = await customerWrites(world, token, customer, 'Quero fazer um pedido')
  // An order: its bubble carries an icon too.
  const response = await world.meta.webhook(
    world.server.url,
    world.meta.messages(customer, orderMessage(customer.waId, REFERENCE_ORDER)),
  )
  expect(response.status).toBe(200)
})

afterAll(() => world?.close())

/** Every visible character drawn as .notdef, as "U+XXXX "c" in <tag class>". */
function missingGlyphs(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const canvas = document.createElement('canvas')
    canvas.width = canvas.height = 64
    const context = canvas.getContext('2d', { willReadFrequently: true })!
    const draw = (text: string, font: string) => {
      context.clearRect(0, 0, 64, 64)
      context.font = font
      context.textBaseline = 'top'
      context.fillText(text, 8, 8)
      return context.getImageData(0, 0, 64, 64).data
    }
    const same = (a: Uint8ClampedArray, b: Uint8ClampedArray) => a.every((v, i) => v === b[i])
    // Plain Latin (with accents), general punctuation, invisible joiners and variation selectors.
    const plain = (code: number) =>
      code <= 0x24f || (code >= 0x2000 && code <= 0x206f) || (code >= 0xfe00 && code <= 0xfe0f)
    const verdicts = new Map<string, boolean>()
    const found: string[] = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement
      if (!element?.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue
      const style = getComputedStyle(element)
      const font = `${style.fontStyle} ${style.fontWeight} 32px ${style.fontFamily}`
      for (const character of node.textContent ?? '') {
        const code = character.codePointAt(0)!
        if (plain(code) || /\s/.test(character)) continue
        const key = `${font}|${character}`
        if (!verdicts.has(key)) verdicts.set(key, same(draw(character, font), draw('\u0378', font)))
        if (!verdicts.get(key)) continue
        const hex = code.toString(16).toUpperCase().padStart(4, '0')
        const where = `<${element.localName} class="${element.getAttribute('class') ?? ''}">`
        found.push(`U+${hex} "${character}" in ${where}`)
      }
    }
    return [...new Set(found)]
  })
}

test('no icon on the main screens renders as a missing-glyph box', async () => {
  // Ana has the conversation open, so the admin's card shows that she is viewing it.
  const ana_ = await openConversation(world, conversationId, {
    agent: ana,
    customerName: customer.name,
  })
  const { page } = await openPage(world.browser, { viewport: { width: 1280, height: 800 } })
  await signInThroughForm(page, world.server)
  await page.goto(`${world.server.url}/inbox/${conversationId}`)
  await page.getByRole('heading', { name: customer.name, level: 2 }).waitFor()
  await page.locator('article', { hasText: 'Can you deliver on Saturday?' }).waitFor()
  await page.getByText(`Viewing: ${ana.name}`).waitFor({ state: 'attached' })

  const screens: Record<string, string[]> = { inbox: await missingGlyphs(page) }
  for (const [name, path, ready] of [
    ['tickets', '/tickets', 'Tickets'],
    ['reports', '/reports', 'Reports'],
    ['settings', '/settings', 'Settings'],
  ] as const) {
    await page.goto(`${world.server.url}${path}`)
    await page.getByRole('heading', { name: ready, level: 1 }).waitFor()
    screens[name] = await missingGlyphs(page)
  }
  expect(screens).toEqual({ inbox: [], tickets: [], reports: [], settings: [] })
  await ana_.context().close()
  await page.context().close()
})
