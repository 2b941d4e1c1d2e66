/**
 * Journey: the app's short messages stay out of the way. After an agent transfers a conversation,
 * takes it back and creates a ticket, the three notes ("Transferred…", "Assigned…", "Ticket…")
 * show in a live region under the app header that covers neither the Send button nor the contact
 * panel, and go away by themselves.
 */
import type { Locator } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  addAgent,
  createTicket,
  customerWrites,
  openConversation,
  startWorld,
  type World,
} from './world.js'

let world: World
let conversationId: string
const bob = { name: 'Bob Lima', email: 'bob@toasts.atende.test', password: 'bob-password-123' }
const customer = { waId: '5511911110000', name: 'Davi Rocha' }

beforeAll(async () => {
  world = await startWorld()
  await addAgent(world, bob)
  conversationId = await customerWrites(world, world.adminToken, customer, 'Preciso de ajuda')
})

afterAll(() => world?.close())

async function overlaps(a: Locator, b: Locator): Promise<boolean> {
  const [one, two] = [(await a.boundingBox())!, (await b.boundingBox())!]
  return (
    one.x < two.x + two.width &&
    two.x < one.x + one.width &&
    one.y < two.y + two.height &&
    two.y < one.y + one.height
  )
}

test('three notes in a row cover no control and go away by themselves', async () => {
  const page = await openConversation(world, conversationId, {
    agent: world.server.admin,
    customerName: customer.name,
    viewport: { width: 1280, height: 800 },
  })
  const actions = page.getByRole('group', { name: 'Conversation actions' })
  const dialog = page.getByRole('dialog', { name: 'Transfer the conversation' })
  await actions.getByRole('button', { name: 'Transfer' }).click()
  await dialog.getByRole('radio', { name: bob.name }).check()
  await dialog.getByRole('button', { name: 'Transfer', exact: true }).click()
  await dialog.waitFor({ state: 'hidden' })
  await actions.getByRole('button', { name: 'Transfer' }).click()
  await dialog.getByRole('button', { name: 'Assign to me' }).click()
  await dialog.waitFor({ state: 'hidden' })
  await createTicket(page)

  const region = page.getByRole('status', { name: 'Notices' })
  const notes = [
    region.getByText(`Transferred to ${bob.name}`),
    region.getByText(/^Assigned to /),
    region.getByText(/^Ticket #\d{8}-\d{4} created$/),
  ]
  for (const note of notes) await note.waitFor()
  await page.getByRole('textbox', { name: 'Message' }).fill('Vou verificar')
  const send = page.getByRole('button', { name: 'Send', exact: true })
  const panel = page.getByRole('complementary', { name: 'Contact', exact: true })
  for (const note of notes) {
    expect(await overlaps(note, send)).toBe(false)
    expect(await overlaps(note, panel)).toBe(false)
  }
  // Clicking through still works: the notes covered nothing.
  await send.click()
  await page.locator('article', { hasText: 'Vou verificar' }).waitFor()

  for (const note of notes) await note.waitFor({ state: 'detached' })
  await page.context().close()
})
