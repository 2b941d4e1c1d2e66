/**
 * Journey: the composer's popups get out of the way. The emoji picker closes on Escape (focus back
 * in the textbox), on a click elsewhere, when the message is sent and when a file is attached, so
 * it never hides "Send file"; the @mention suggestions open above the composer and leave the
 * Message / Internal note switch free to click.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { pdf } from '../sync-server/test/helpers/media-samples.js'
import { addAgent, customerWrites, openConversation, startWorld, type World } from './world.js'

let world: World
let conversationId: string
const ana = { name: 'Ana Souza', email: 'ana@popups.atende.test', password: 'ana-password-123' }
const bob = { name: 'Bob Lima', email: 'bob@popups.atende.test', password: 'bob-password-123' }
const customer = { waId: '5511922221111', name: 'Lia Prado' }

beforeAll(async () => {
  world = await startWorld()
  const { token } = await addAgent(world, ana)
  await addAgent(world, bob)
  conversationId = await customerWrites(world, token, customer, 'Bom dia!')
})

afterAll(() => world?.close())

const open = () =>
  openConversation(world, conversationId, {
    agent: ana,
    customerName: customer.name,
    viewport: { width: 1280, height: 800 },
  })
const emojiPicker = (page: Page) => page.getByRole('dialog', { name: 'Emoji' })

async function openEmoji(page: Page) {
  await page.getByRole('button', { name: 'Emoji', exact: true }).click()
  await emojiPicker(page).locator('emoji-picker').getByRole('menuitem').first().waitFor()
}

test('the emoji picker closes on Escape, a click elsewhere, sending and attaching', async () => {
  const page = await open()
  const box = page.getByRole('textbox', { name: 'Message' })

  // Escape, after an emoji is picked (focus is back in the textbox), and right after opening.
  await openEmoji(page)
  await emojiPicker(page).locator('emoji-picker').getByRole('menuitem').first().click()
  await page.keyboard.press('Escape')
  await emojiPicker(page).waitFor({ state: 'detached' })
  expect(await box.evaluate((element) => element === document.activeElement)).toBe(true)
  await openEmoji(page)
  await page.keyboard.press('Escape')
  await emojiPicker(page).waitFor({ state: 'detached' })
  expect(await box.evaluate((element) => element === document.activeElement)).toBe(true)
  await box.fill('')

  // A click elsewhere (the conversation's header).
  await openEmoji(page)
  await page.getByRole('heading', { name: customer.name, level: 2 }).click()
  await emojiPicker(page).waitFor({ state: 'detached' })

  // Sending.
  await box.fill('Olá')
  await openEmoji(page)
  await box.press('Enter')
  await page.locator('article', { hasText: 'Olá' }).waitFor()
  await emojiPicker(page).waitFor({ state: 'detached' })

  // Attaching: "Send file" is not hidden under the picker.
  await openEmoji(page)
  await page.locator('input[type="file"]').setInputFiles({
    name: 'nota.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(pdf(4096)),
  })
  await emojiPicker(page).waitFor({ state: 'detached' })
  await page.getByRole('button', { name: 'Send file' }).click()
  await page.locator('article', { hasText: 'nota.pdf' }).waitFor()
  await page.context().close()
})

test('the @mention suggestions leave the mode switch and the textbox free', async () => {
  const page = await open()
  await page.getByRole('radio', { name: 'Internal note' }).click()
  const box = page.getByRole('textbox', { name: 'Internal note' })
  await box.pressSequentially('Veja isto @bo')
  const suggestions = page.getByRole('listbox', { name: 'Agents to mention' })
  await suggestions.getByRole('option', { name: bob.name }).waitFor()

  // What is at the centre of each switch button, and of the textbox, is that control itself.
  for (const control of [
    page.getByRole('radio', { name: 'Message' }),
    page.getByRole('radio', { name: 'Internal note' }),
    box,
  ]) {
    const { x, y, width, height } = (await control.boundingBox())!
    const hit = await control.evaluate(
      (element, point) => element.contains(document.elementFromPoint(point.x, point.y)),
      { x: x + width / 2, y: y + height / 2 },
    )
    expect(hit).toBe(true)
  }
  // And the switch still works with the suggestions open.
  await page.getByRole('radio', { name: 'Message' }).click()
  await page.getByRole('textbox', { name: 'Message' }).waitFor()
  await page.context().close()
})
