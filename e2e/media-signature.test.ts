/**
 * Journey (issue 18): a file's content must match its type. An agent attaching a web page named
 * x.pdf is told why it is refused, and nothing is sent; a customer's "photo" that is really a web
 * page shows as a labelled download only, never as a picture, in English and in Portuguese.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { imageMessage } from '../sync-server/src/whatsapp/simulator/payloads.js'
import { HTML_PAGE, minimalPdf } from '../sync-server/test/helpers/media-samples.js'
import { addAgent, customerWrites, openConversation, startWorld, type World } from './world.js'

let world: World
let conversationId: string
const ana = { name: 'Ana Souza', email: 'ana@signature.atende.test', password: 'ana-password-123' }
const customer = { waId: '5511975550101', name: 'Rita Lima' }

beforeAll(async () => {
  world = await startWorld()
  const { token } = await addAgent(world, ana)
  conversationId = await customerWrites(world, token, customer, 'Pode mandar o boleto?')
})
afterAll(() => world?.close())

test('an agent attaching a web page named x.pdf sees why it is refused, and nothing is sent', async () => {
  const page = await openConversation(world, conversationId, {
    agent: ana,
    customerName: customer.name,
  })
  const uploadsBefore = world.meta.uploads.length
  const sendsBefore = world.meta.sends.length
  const input = page.locator('input[type="file"]')
  await input.setInputFiles({
    name: 'x.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(HTML_PAGE),
  })
  await page
    .getByRole('alert')
    .getByText(
      'Not sent: this file is not a real PDF file, its content does not match its type ' +
        '(it is a web page or markup, such as HTML or SVG).',
    )
    .waitFor()
  expect(await page.getByRole('button', { name: 'Send file' }).count()).toBe(0)

  // A real PDF then goes out as usual, and the refusal is gone.
  await input.setInputFiles({
    name: 'boleto.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(minimalPdf()),
  })
  await page.getByRole('button', { name: 'Send file' }).click()
  const sends = await world.meta.waitForSends(sendsBefore + 1)
  expect(sends.slice(sendsBefore).map((send) => send.type)).toEqual(['document'])
  expect(world.meta.uploads.slice(uploadsBefore).map((upload) => upload.fileName)).toEqual([
    'boleto.pdf',
  ])
  expect(await page.getByRole('alert').count()).toBe(0)
  await page.context().close()
})

test("a customer's photo that is really a web page shows only as a labelled download", async () => {
  const id = world.meta.addMedia(HTML_PAGE, 'image/jpeg')
  const file = { id, mime_type: 'image/jpeg', sha256: world.meta.media(id)!.sha256 }
  const response = await world.meta.webhook(
    world.server.url,
    world.meta.messages(customer, imageMessage(customer.waId, { ...file, caption: 'Meu recibo' })),
  )
  expect(response.status).toBe(200)

  const page = await openConversation(world, conversationId, {
    agent: ana,
    customerName: customer.name,
  })
  const bubble = page.locator('article', { hasText: 'Meu recibo' })
  const link = bubble.getByRole('link', {
    name: /Download file — its content does not match its type \(image\/jpeg\)/,
  })
  await link.waitFor()
  expect(await link.getAttribute('href')).toMatch(/^\/api\/media\//)
  expect(await bubble.locator('img, video, audio').count()).toBe(0)
  await page.context().close()

  const pt = await openConversation(world, conversationId, {
    agent: ana,
    customerName: customer.name,
    locale: 'pt-BR',
  })
  await pt
    .locator('article', { hasText: 'Meu recibo' })
    .getByRole('link', { name: /Baixar arquivo — o conteúdo não corresponde ao tipo/ })
    .waitFor()
  await pt.context().close()
})
