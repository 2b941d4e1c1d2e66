import { amendedMessage, factsOf, type CustomerMessage } from '@atende/shared'
import { expect, test } from 'vitest'
import { en } from '../../i18n/en'
import { ptBR } from '../../i18n/pt-br'
import { formatMoney, messageLine, previewLine, richMessageLine } from './rich-message-text'

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

test('previews from facts read in the reader’s language: a photo, a location, a voice note', () => {
  const photo = {
    ...base,
    type: 'image',
    text: '',
    media: { mediaId: 'x', mimeType: 'image/jpeg' },
  }
  const place = {
    ...base,
    type: 'location',
    text: '',
    location: { latitude: 1, longitude: 2, name: 'Loja', address: 'Rua A' },
  }
  const voice = {
    ...base,
    type: 'audio',
    text: '',
    media: { mediaId: 'v', mimeType: 'audio/ogg', voice: true },
  }
  const lines = (m: typeof en, locale: 'en' | 'pt-BR') =>
    [photo, place, voice].map((message) =>
      previewLine(m, locale, '', factsOf(message as CustomerMessage)),
    )
  expect(lines(en, 'en')).toEqual(['Photo', 'Location: Loja, Rua A', 'Voice message'])
  expect(lines(ptBR, 'pt-BR')).toEqual(['Foto', 'Localização: Loja, Rua A', 'Mensagem de voz'])
  // A caption is the customer's own words, whatever the language.
  expect(previewLine(ptBR, 'pt-BR', 'Olha isso', factsOf(photo as CustomerMessage))).toBe(
    'Olha isso',
  )
})

test('a card stored before facts, with its English text, still shows that text', () => {
  expect(previewLine(ptBR, 'pt-BR', 'Location: Loja', undefined)).toBe('Location: Loja')
})

test('an old message with an English summary as text reads from its fields in Portuguese', () => {
  const old = {
    ...base,
    type: 'location',
    text: 'Location: Loja',
    location: { latitude: 1, longitude: 2, name: 'Loja' },
  } as CustomerMessage
  expect(messageLine(ptBR, 'pt-BR', old)).toBe('Localização: Loja')
  const oldPhoto = {
    ...base,
    type: 'image',
    text: 'Photo',
    media: { mediaId: 'x', mimeType: 'image/jpeg' },
  } as CustomerMessage
  expect(messageLine(ptBR, 'pt-BR', oldPhoto)).toBe('Foto')
})

test('an edited message previews its new text, a deleted one says so, in both languages', () => {
  const text = { ...base, type: 'text', text: 'at 2pm' } as CustomerMessage
  const edited = amendedMessage(text, {
    edits: [{ text: 'at 3pm', at: 2, waMessageId: 'wamid.e' }],
  }) as CustomerMessage
  expect(previewLine(en, 'en', edited.text, factsOf(edited))).toBe('at 3pm (edited)')
  expect(previewLine(ptBR, 'pt-BR', edited.text, factsOf(edited))).toBe('at 3pm (editada)')
  const revoked = amendedMessage(text, { revokedAt: 3 }) as CustomerMessage
  expect(previewLine(en, 'en', revoked.text, factsOf(revoked))).toBe('Deleted by the customer')
  expect(previewLine(ptBR, 'pt-BR', revoked.text, factsOf(revoked))).toBe('Apagada pelo cliente')
})
