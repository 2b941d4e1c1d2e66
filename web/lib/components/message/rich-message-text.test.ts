import type { CustomerMessage } from '@atende/shared'
import { expect, test } from 'vitest'
import { en } from '../../i18n/en'
import { ptBR } from '../../i18n/pt-br'
import { formatMoney, richMessageLine } from './rich-message-text'

const base = {
  id: 'm1',
  kind: 'customer',
  authorId: 'c1',
  waMessageId: 'wamid.1',
  createdAt: 1,
} as const

test('money in the reader’s format; an unknown currency code still reads', () => {
  expect(formatMoney(85.5, 'USD', 'en')).toBe('$85.50')
  expect(formatMoney(85.5, 'BRL', 'pt-BR')).toMatch(/^R\$\s85,50$/)
  expect(formatMoney(3, 'not-a-code', 'en')).toBe('not-a-code 3.00')
})

test('an order, a flow answer and an undeliverable poll as one line each, in both languages', () => {
  const order = {
    ...base,
    type: 'order',
    text: 'Order: …',
    order: {
      catalogId: 'c',
      note: 'Saturday?',
      items: [{ productRetailerId: 'sku-1', quantity: 2, itemPrice: 10, currency: 'BRL' }],
    },
  } as CustomerMessage
  expect(richMessageLine(ptBR, 'pt-BR', order)).toMatch(
    /^Pedido: 2 itens, R\$\s20,00\n2 × sku-1 \(R\$\s10,00\)\nObservação do cliente: Saturday\?$/,
  )
  const flow = {
    ...base,
    type: 'interactive',
    text: 'Form answer: …',
    flow: {
      name: 'flow',
      body: 'Sent',
      fields: [{ name: 'screen_0_Full_name_0', value: 'Ana' }],
      responseJson: '{}',
    },
  } as CustomerMessage
  expect(richMessageLine(en, 'en', flow)).toBe('Form answer\nFull name: Ana')
  const poll = {
    ...base,
    type: 'unsupported',
    text: '…',
    unsupportedType: 'poll',
  } as CustomerMessage
  expect(richMessageLine(en, 'en', poll)).toBe(
    'The customer sent a poll, which WhatsApp does not deliver to the API',
  )
  const text = { ...base, type: 'text', text: 'hi' } as CustomerMessage
  expect(richMessageLine(en, 'en', text)).toBeNull()
})
