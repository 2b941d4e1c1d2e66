import { describe, expect, it } from 'vitest'
import { flowFieldLabel, isUuid, orderTotals } from '@atende/shared'
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
  flowReplyMessage,
  forwardedText,
  listReplyWithDescription,
  orderMessage,
  REFERENCE_FLOW_RESPONSE,
  REFERENCE_ORDER,
  REFERENCE_REFERRAL,
  editMessage,
  legacyNumberChangeMessage,
  numberChangeMessage,
  pricedStatus,
  referralText,
  revokeMessage,
  unsupportedOfType,
} from '../../../test/helpers/reference-examples.js'
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
      text: '',
      media: { voice: true, mimeType: 'audio/ogg; codecs=opus' },
    })
    const doc = fields(
      documentMessage(WA, { ...media, mime_type: 'application/pdf', filename: 'boleto.pdf' }),
    )
    expect(doc.message).toMatchObject({
      type: 'document',
      text: '',
      media: { fileName: 'boleto.pdf' },
    })
    expect(fields(videoMessage(WA, { ...media, mime_type: 'video/mp4' })).message).toMatchObject({
      type: 'video',
      text: '',
    })
    const sticker = fields(
      stickerMessage(WA, { ...media, mime_type: 'image/webp', animated: true }),
    )
    expect(sticker.message).toMatchObject({
      type: 'sticker',
      text: '',
      media: { animated: true },
    })
  })

  it('maps location, contacts, interactive and button replies', () => {
    const location = fields(
      locationMessage(WA, { latitude: -23.5, longitude: -46.6, name: 'Loja', address: 'Rua A' }),
    )
    expect(location.message).toMatchObject({
      type: 'location',
      text: '',
      location: { latitude: -23.5, longitude: -46.6, name: 'Loja', address: 'Rua A' },
    })
    const contacts = fields(
      contactsMessage(WA, [
        { name: { formatted_name: 'João' }, phones: [{ phone: '+55 11 5555-0000' }] },
      ]),
    )
    expect(contacts.message).toMatchObject({
      type: 'contacts',
      text: '',
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
      text: '',
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

describe('the Cloud API reference examples', () => {
  it('an order keeps its catalog, every line, the total and the customer note', () => {
    const op = fields(orderMessage(WA, REFERENCE_ORDER, { id: 'wamid.ORDER' }))
    expect(op.message).toMatchObject({
      type: 'order',
      text: 'Can you deliver on Saturday?',
      order: {
        catalogId: '194836987003835',
        note: 'Can you deliver on Saturday?',
        items: [
          { productRetailerId: 'di9ozbzfi4', quantity: 2, itemPrice: 30, currency: 'USD' },
          { productRetailerId: 'nqryix03ez', quantity: 1, itemPrice: 25.5, currency: 'USD' },
        ],
      },
    })
    expect(orderTotals(op.message.order!)).toEqual([{ currency: 'USD', amount: 85.5 }])
    // Quantities and prices quoted as strings (as the older examples print them) are read too.
    const quoted = fields(
      orderMessage(WA, {
        catalog_id: '1',
        product_items: [
          { product_retailer_id: 'sku', quantity: '3', item_price: '9.90', currency: 'BRL' },
        ] as unknown as typeof REFERENCE_ORDER.product_items,
      }),
    )
    expect(quoted.message.order!.items[0]).toMatchObject({ quantity: 3, itemPrice: 9.9 })
  })

  it('a flow answer lists the answered fields and keeps the raw JSON', () => {
    const op = fields(flowReplyMessage(WA, { response_json: REFERENCE_FLOW_RESPONSE }))
    expect(op.message).toMatchObject({
      type: 'interactive',
      text: '',
      flow: {
        name: 'flow',
        body: 'Sent',
        fields: [
          { name: 'screen_0_Full_name_0', value: 'Maria Souza' },
          { name: 'screen_0_Delivery_date_1', value: '2026-12-12' },
        ],
        responseJson: REFERENCE_FLOW_RESPONSE,
      },
    })
    expect(op.message.flow!.malformed).toBeUndefined()
    expect(flowFieldLabel('screen_0_Delivery_date_1')).toBe('Delivery date')
  })

  it('a flow answer whose response_json is not JSON is kept, marked malformed', () => {
    const op = fields(flowReplyMessage(WA, { response_json: '{"flow_token": "x", "name": ' }))
    expect(op.message).toMatchObject({
      type: 'interactive',
      text: '',
      flow: { fields: [], malformed: true, responseJson: '{"flow_token": "x", "name": ' },
    })
    // Nested answers are shown as JSON rather than "[object Object]".
    const nested = fields(
      flowReplyMessage(WA, { response_json: '{"items":["a","b"],"agree":true,"n":2}' }),
    )
    expect(nested.message.flow!.fields).toEqual([
      { name: 'items', value: '["a","b"]' },
      { name: 'agree', value: 'true' },
      { name: 'n', value: '2' },
    ])
  })

  it('a list reply keeps the row description beside its title', () => {
    const op = fields(
      listReplyWithDescription(WA, {
        id: 'slot-2',
        title: 'Tuesday 10:00',
        description: 'At the Paulista store',
      }),
    )
    expect(op.message).toMatchObject({
      type: 'interactive',
      text: 'Tuesday 10:00',
      choice: { id: 'slot-2', title: 'Tuesday 10:00', description: 'At the Paulista store' },
    })
  })

  it('an unsupported message keeps WhatsApp’s type and the raw message', () => {
    const op = fields(unsupportedOfType(WA, 'poll', { id: 'wamid.POLL' }))
    expect(op.message).toMatchObject({
      type: 'unsupported',
      originalType: 'unsupported',
      unsupportedType: 'poll',
      text: '',
    })
    expect(JSON.parse(op.message.raw!)).toMatchObject({
      id: 'wamid.POLL',
      unsupported: { type: 'poll' },
    })
  })

  it('forwarded and frequently forwarded messages say so', () => {
    const once = fields(forwardedText(WA, 'Party tonight!', 'forwarded'))
    expect(once.message).toMatchObject({
      type: 'text',
      text: 'Party tonight!',
      forwarded: 'forwarded',
    })
    expect(once.quotedWamid).toBeNull()
    const many = fields(forwardedText(WA, 'Chain letter', 'frequently_forwarded'))
    expect(many.message.forwarded).toBe('frequently_forwarded')
    expect(fields(textMessage(WA, 'mine')).message.forwarded).toBeUndefined()
  })

  it('a message from a click-to-WhatsApp ad carries the ad and its click id', () => {
    const op = fields(referralText(WA, 'I saw your ad', REFERENCE_REFERRAL))
    expect(op.message).toMatchObject({
      type: 'text',
      text: 'I saw your ad',
      referral: {
        sourceType: 'ad',
        sourceId: '120210536984550198',
        sourceUrl: 'https://fb.me/3cr4Wqqkr',
        headline: 'Summer sale: 30% off',
        body: 'Tap to chat with us on WhatsApp',
        mediaType: 'image',
        imageUrl: 'https://scontent.example/ad-image.jpg',
        ctwaClid: REFERENCE_REFERRAL.ctwa_clid,
      },
    })
  })

  it('an unknown type, or a known one it cannot read, is kept raw and visible', () => {
    const poll = {
      from: WA,
      id: 'wamid.U',
      timestamp: '1700000000',
      type: 'poll_creation',
      poll: { q: 1 },
    }
    const op = fields(poll)
    expect(op.message).toMatchObject({ type: 'unsupported', originalType: 'poll_creation' })
    expect(JSON.parse(op.message.raw!)).toEqual(poll)
    const emptyOrder = {
      from: WA,
      id: 'wamid.E',
      timestamp: '1700000000',
      type: 'order',
      order: {},
    }
    expect(fields(emptyOrder).message).toMatchObject({ type: 'unsupported', originalType: 'order' })
    // Before v19 an undeliverable message came as type `unknown`, with only the errors.
    const v18 = {
      from: WA,
      id: 'wamid.V18',
      timestamp: '1700000000',
      type: 'unknown',
      errors: [
        {
          code: 131051,
          details: 'Message type is not currently supported',
          title: 'Unsupported message type',
        },
      ],
    }
    expect(fields(v18).message).toMatchObject({
      type: 'unsupported',
      originalType: 'unknown',
      text: '',
    })
    expect(JSON.parse(fields(v18).message.raw!)).toEqual(v18)
    // Fields we do not know beside a known type change nothing of what is read.
    const extra = { ...textMessage(WA, 'hi'), identity_key_hash: 'abc', brand_new: { x: 1 } }
    expect(fields(extra).message).toMatchObject({ type: 'text', text: 'hi' })
  })
})

describe('which changes are ours (metadata.phone_number_id)', () => {
  const withoutMetadata = () => {
    const payload = messagesWebhook(business, { waId: WA }, textMessage(WA, 'x'))
    delete (payload.entry[0]!.changes[0]!.value as { metadata?: unknown }).metadata
    return payload
  }

  it('skips a change with no metadata, or no phone_number_id in it, with a note', () => {
    expect(parseWebhook(withoutMetadata(), options)).toEqual({
      ops: [],
      notes: ['change without metadata.phone_number_id skipped'],
    })
    const blank = messagesWebhook(
      { ...business, phoneNumberId: '' },
      { waId: WA },
      textMessage(WA, 'x'),
    )
    expect(parseWebhook(blank, options).ops).toEqual([])
    // The same with no number configured: nothing names it as anyone's.
    expect(parseWebhook(withoutMetadata(), { receivedAt: 1 }).ops).toEqual([])
  })

  it('takes a change for our number, and any named number when none is configured', () => {
    const ours = messagesWebhook(business, { waId: WA }, textMessage(WA, 'x'))
    expect(parseWebhook(ours, options).ops).toHaveLength(1)
    const other = messagesWebhook(
      { ...business, phoneNumberId: '999' },
      { waId: WA },
      textMessage(WA, 'x'),
    )
    expect(parseWebhook(other, { receivedAt: 1 }).ops).toHaveLength(1)
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

describe('customer events, as the Cloud API reference gives them', () => {
  it('an edit names the original message and brings its new text', () => {
    const op = one(
      editMessage(WA, 'wamid.ORIGINAL', { text: 'See you at 3pm' }, { id: 'wamid.E1' }),
    )
    expect(op).toMatchObject({
      kind: 'amend',
      wamid: 'wamid.E1',
      targetWamid: 'wamid.ORIGINAL',
      edit: { text: 'See you at 3pm' },
      sender: { identity: { waId: WA } },
    })
  })

  it('an edited caption is the new text of a photo', () => {
    const image = { id: '99', mime_type: 'image/jpeg', caption: 'The blue one' }
    expect(one(editMessage(WA, 'wamid.PHOTO', { image }))).toMatchObject({
      kind: 'amend',
      targetWamid: 'wamid.PHOTO',
      edit: { text: 'The blue one' },
    })
  })

  it('a revoke names the deleted message and brings no text', () => {
    expect(one(revokeMessage(WA, 'wamid.GONE', { id: 'wamid.R1' }))).toMatchObject({
      kind: 'amend',
      wamid: 'wamid.R1',
      targetWamid: 'wamid.GONE',
      edit: null,
    })
  })

  it('an edit or revoke it cannot read is kept visible as unsupported, never lost', () => {
    const broken = { ...editMessage(WA, 'wamid.X', { text: 'x' }), edit: { message: {} } }
    expect(fields(broken).message).toMatchObject({ type: 'unsupported', originalType: 'edit' })
    const noTarget = { ...revokeMessage(WA, 'wamid.X'), revoke: {} }
    expect(fields(noTarget).message).toMatchObject({ type: 'unsupported', originalType: 'revoke' })
  })

  it('user_changed_number brings the new wa_id and business-scoped user id', () => {
    const message = numberChangeMessage(WA, {
      waId: '5511912345678',
      userId: 'BR.NEW',
      previousUserId: 'BR.OLD',
    })
    const { ops } = parseWebhook(messagesWebhook(business, [], message), options)
    expect(ops).toEqual([
      expect.objectContaining({
        kind: 'identity',
        newWaId: '5511912345678',
        newUserId: 'BR.NEW',
        previousUserId: 'BR.OLD',
        sender: { identity: { waId: WA, userId: null }, profileName: null },
      }),
    ])
  })

  it('the pre-v12 shape (new_wa_id, customer_changed_number) is read too', () => {
    expect(one(legacyNumberChangeMessage(WA, '5511900001111'))).toMatchObject({
      kind: 'identity',
      newWaId: '5511900001111',
      newUserId: null,
    })
  })

  it('a number change whose new number cannot be read stays visible, with WhatsApp’s sentence', () => {
    const message = numberChangeMessage(WA, { waId: '1' })
    expect(fields(message).message).toMatchObject({ type: 'unsupported', originalType: 'system' })
  })

  it('a status keeps pricing.category and conversation.origin.type', () => {
    const status = pricedStatus('wamid.OUT', 'sent', WA, {
      category: 'marketing',
      origin: 'marketing',
    })
    const payload = statusesWebhook(business, [status])
    expect(parseWebhook(payload, options).ops).toEqual([
      expect.objectContaining({
        kind: 'status',
        status: 'sent',
        billing: { category: 'marketing', origin: 'marketing' },
      }),
    ])
    const bare = statusesWebhook(business, [statusEvent('wamid.OUT', 'read', WA)])
    expect(parseWebhook(bare, options).ops[0]).toMatchObject({
      billing: { category: null, origin: null },
    })
  })
})
