import { describe, expect, it } from 'vitest'
import { isUuid } from '@atende/shared'
import {
  audioMessage,
  buttonMessage,
  buttonReplyMessage,
  contactsMessage,
  documentMessage,
  imageMessage,
  listReplyMessage,
  locationMessage,
  messagesWebhook,
  reactionMessage,
  statusEvent,
  statusesWebhook,
  stickerMessage,
  textMessage,
  unsupportedMessage,
  videoMessage,
  type Business,
  type InboundMessage,
} from '../simulator/payloads.js'
import {
  failureReason,
  mediaIdFor,
  messageIdFor,
  parseWebhook,
  senderOf,
  timestampMs,
  type InboundOp,
} from './parse.js'

const business: Business = {
  wabaId: '1',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550001111',
}
const WA = '5511987654321'
const options = { phoneNumberId: business.phoneNumberId, receivedAt: 1_700_000_000_000 }

function one(message: InboundMessage): InboundOp {
  const { ops } = parseWebhook(
    messagesWebhook(business, { waId: WA, name: 'Maria' }, message),
    options,
  )
  expect(ops).toHaveLength(1)
  return ops[0]!
}

function fields(message: InboundMessage) {
  const op = one(message)
  if (op.kind !== 'message') throw new Error('not a message')
  return op
}

const media = { id: '1234567890', mime_type: 'image/jpeg', sha256: 'abc=' }

describe('parseWebhook', () => {
  it('maps text with the WhatsApp timestamp in ms and a derived message id', () => {
    const op = fields(textMessage(WA, 'Olá', { id: 'wamid.A', timestamp: 1_700_000_123 }))
    expect(op.message).toMatchObject({
      kind: 'customer',
      type: 'text',
      text: 'Olá',
      waMessageId: 'wamid.A',
      createdAt: 1_700_000_123_000,
    })
    expect(op.message.id).toBe(messageIdFor('wamid.A'))
    expect(isUuid(op.message.id)).toBe(true)
    expect(op.sender).toEqual({ identity: { waId: WA, userId: null }, profileName: 'Maria' })
  })

  it('maps every media type to a MediaRef with our id', () => {
    const image = fields(imageMessage(WA, { ...media, caption: 'look' }, { id: 'wamid.I' }))
    expect(image.message).toMatchObject({
      type: 'image',
      text: 'look',
      media: {
        mediaId: mediaIdFor('wamid.I'),
        mimeType: 'image/jpeg',
        caption: 'look',
        sha256: 'abc=',
      },
    })
    expect(image.media).toMatchObject({
      waMediaId: '1234567890',
      kind: 'image',
      mediaId: mediaIdFor('wamid.I'),
    })
    const voice = fields(
      audioMessage(WA, { ...media, mime_type: 'audio/ogg; codecs=opus', voice: true }),
    )
    expect(voice.message).toMatchObject({
      type: 'audio',
      text: 'Voice message',
      media: { voice: true, mimeType: 'audio/ogg; codecs=opus' },
    })
    const doc = fields(
      documentMessage(WA, { ...media, mime_type: 'application/pdf', filename: 'boleto.pdf' }),
    )
    expect(doc.message).toMatchObject({
      type: 'document',
      text: 'boleto.pdf',
      media: { fileName: 'boleto.pdf' },
    })
    expect(fields(videoMessage(WA, { ...media, mime_type: 'video/mp4' })).message).toMatchObject({
      type: 'video',
      text: 'Video',
    })
    const sticker = fields(
      stickerMessage(WA, { ...media, mime_type: 'image/webp', animated: true }),
    )
    expect(sticker.message).toMatchObject({
      type: 'sticker',
      text: 'Sticker',
      media: { animated: true },
    })
  })

  it('maps location, contacts, interactive and button replies', () => {
    const location = fields(
      locationMessage(WA, { latitude: -23.5, longitude: -46.6, name: 'Loja', address: 'Rua A' }),
    )
    expect(location.message).toMatchObject({
      type: 'location',
      text: 'Location: Loja, Rua A',
      location: { latitude: -23.5, longitude: -46.6, name: 'Loja', address: 'Rua A' },
    })
    const contacts = fields(
      contactsMessage(WA, [
        { name: { formatted_name: 'João' }, phones: [{ phone: '+55 11 5555-0000' }] },
      ]),
    )
    expect(contacts.message).toMatchObject({
      type: 'contacts',
      text: 'Contact: João',
      contacts: [{ name: 'João', phones: ['+55 11 5555-0000'] }],
    })
    const button = fields(buttonReplyMessage(WA, { id: 'yes', title: 'Sim' }))
    expect(button.message).toMatchObject({
      type: 'interactive',
      text: 'Sim',
      choice: { id: 'yes', title: 'Sim' },
    })
    const list = fields(listReplyMessage(WA, { id: 'opt-2', title: 'Segunda' }))
    expect(list.message).toMatchObject({
      type: 'interactive',
      choice: { id: 'opt-2', title: 'Segunda' },
    })
    const quick = fields(buttonMessage(WA, { payload: 'STOP', text: 'Parar' }))
    expect(quick.message).toMatchObject({
      type: 'button',
      text: 'Parar',
      choice: { id: 'STOP', title: 'Parar' },
    })
  })

  it('keeps unknown and unsupported types visible with their original type', () => {
    expect(fields(unsupportedMessage(WA)).message).toMatchObject({
      type: 'unsupported',
      originalType: 'unsupported',
      text: 'Unsupported message',
    })
    const order = {
      from: WA,
      id: 'wamid.O',
      timestamp: '1700000000',
      type: 'order',
      order: { catalog_id: '1' },
    }
    expect(fields(order).message).toMatchObject({ type: 'unsupported', originalType: 'order' })
    const system = {
      from: WA,
      id: 'wamid.S',
      timestamp: '1700000000',
      type: 'system',
      system: { body: 'changed number' },
    }
    expect(fields(system).message).toMatchObject({
      type: 'unsupported',
      originalType: 'system',
      text: 'changed number',
    })
    const flow = {
      from: WA,
      id: 'wamid.F',
      timestamp: '1700000000',
      type: 'interactive',
      interactive: { type: 'nfm_reply', nfm_reply: {} },
    }
    expect(fields(flow).message).toMatchObject({
      type: 'unsupported',
      originalType: 'interactive:nfm_reply',
    })
    // A media type without a media id cannot be fetched: still shown.
    const broken = { from: WA, id: 'wamid.B', timestamp: '1700000000', type: 'image', image: {} }
    expect(fields(broken).message).toMatchObject({ type: 'unsupported', originalType: 'image' })
  })

  it('parses replies, reactions and reaction removals', () => {
    const reply = fields(
      textMessage(WA, 'sim', { replyTo: { from: business.displayPhoneNumber, id: 'wamid.Q' } }),
    )
    expect(reply.quotedWamid).toBe('wamid.Q')
    expect(one(reactionMessage(WA, 'wamid.T', '👍', { timestamp: 1_700_000_001 }))).toMatchObject({
      kind: 'reaction',
      targetWamid: 'wamid.T',
      emoji: '👍',
      at: 1_700_000_001_000,
    })
    expect(one(reactionMessage(WA, 'wamid.T'))).toMatchObject({ kind: 'reaction', emoji: null })
  })

  it('parses statuses, played as read, failed with a readable reason', () => {
    const { ops } = parseWebhook(
      statusesWebhook(business, [
        statusEvent('wamid.X', 'delivered', WA, { timestamp: 1_700_000_002 }),
        statusEvent('wamid.X', 'played', WA),
        statusEvent('wamid.Y', 'failed', WA, {
          errors: [
            {
              code: 131047,
              title: 'Re-engagement message',
              message: 'Re-engagement message',
              error_data: { details: 'more than 24 hours' },
            },
          ],
        }),
      ]),
      options,
    )
    expect(ops).toMatchObject([
      { kind: 'status', wamid: 'wamid.X', status: 'delivered', at: 1_700_000_002_000, error: null },
      { kind: 'status', wamid: 'wamid.X', status: 'read' },
      {
        kind: 'status',
        wamid: 'wamid.Y',
        status: 'failed',
        error: 'outside the 24-hour window: send a template',
      },
    ])
    expect(
      failureReason({
        errors: [{ code: 999, title: 'Odd', error_data: { details: 'Something odd' } }],
      }),
    ).toBe('Something odd')
  })

  it('iterates every entry, change, message and status', () => {
    const a = messagesWebhook(business, { waId: WA }, [textMessage(WA, 'a'), textMessage(WA, 'b')])
    const b = statusesWebhook(business, statusEvent('wamid.Z', 'sent', WA))
    const payload = {
      object: 'whatsapp_business_account',
      entry: [a.entry[0], { id: '2', changes: [b.entry[0]!.changes[0], a.entry[0]!.changes[0]] }],
    }
    expect(parseWebhook(payload, options).ops.map((op) => op.kind)).toEqual([
      'message',
      'message',
      'status',
      'message',
      'message',
    ])
  })

  it('skips other numbers, other fields and other objects, with notes', () => {
    const other = messagesWebhook(
      { ...business, phoneNumberId: '999' },
      { waId: WA },
      textMessage(WA, 'x'),
    )
    expect(parseWebhook(other, options)).toMatchObject({
      ops: [],
      notes: ['change for another phone number id skipped'],
    })
    const templates = {
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'message_template_status_update', value: {} }] }],
    }
    expect(parseWebhook(templates, options).ops).toEqual([])
    expect(parseWebhook({ object: 'page', entry: [] }, options).notes).toHaveLength(1)
    const noId = messagesWebhook(business, { waId: WA }, {
      from: WA,
      timestamp: '1',
      type: 'text',
      text: { body: 'x' },
    } as unknown as InboundMessage)
    expect(parseWebhook(noId, options).notes).toEqual(['message without an id skipped'])
  })
})

describe('senderOf', () => {
  it('keys on wa_id, falls back to user_id', () => {
    expect(senderOf(WA, [{ profile: { name: 'A' }, wa_id: WA }])).toEqual({
      identity: { waId: WA, userId: null },
      profileName: 'A',
    })
    expect(senderOf('BR.123', [{ profile: { name: 'B' }, user_id: 'BR.123' }])).toEqual({
      identity: { waId: null, userId: 'BR.123' },
      profileName: 'B',
    })
    expect(senderOf(WA, [{ profile: { name: 'C' }, wa_id: WA, user_id: 'BR.9' }]).identity).toEqual(
      { waId: WA, userId: 'BR.9' },
    )
    expect(senderOf(WA, [])).toEqual({ identity: { waId: WA, userId: null }, profileName: null })
  })
})

describe('timestampMs', () => {
  it('reads Unix seconds strings, falls back otherwise', () => {
    expect(timestampMs('1700000000', 5)).toBe(1_700_000_000_000)
    expect(timestampMs('soon', 5)).toBe(5)
    expect(timestampMs(undefined, 5)).toBe(5)
  })
})

describe('hostile shapes', () => {
  it('names a deeply nested array instead of stringifying it (no stack overflow)', () => {
    let deep: unknown = []
    for (let i = 0; i < 100_000; i++) deep = [deep]
    const payload = {
      object: 'whatsapp_business_account',
      entry: [{ changes: [{ field: deep, value: {} }] }],
    }
    expect(parseWebhook(payload, { receivedAt: 1 }).notes).toEqual(['change field (array) ignored'])
  })
})
