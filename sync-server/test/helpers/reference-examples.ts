/**
 * Inbound messages as the Cloud API reference's own examples give them (Meta's webhook payload
 * examples and the messages webhook reference, v18 to v25), with its placeholders filled in with
 * concrete values of the shapes the reference names: numbers where it says `<PRODUCT_QUANTITY>`,
 * `response_json` as a JSON string, `context` holding only `forwarded`. Field names and nesting are
 * exactly the reference's; only the values are ours.
 *
 * Each builder returns a `value.messages[]` entry; wrap it with `messagesWebhook` (or
 * `meta.messages`) to get the envelope. The simulator's builders make the same payloads, so those
 * are used where they fit; what only the reference shows is built here on the same `messageBase`.
 */
import {
  editMessage as simulatedEdit,
  flowReplyMessage as simulatedFlowReply,
  messageBase,
  statusEvent,
  unsupportedMessage,
  type InboundMessage,
  type MessageOptions,
  type StatusEvent,
} from '../../src/whatsapp/simulator/payloads.js'

// "Received order" (a cart from the catalog, `context` naming the product message), "Revoke" and
// "List reply" (the chosen row's id, title and description) are the simulator's own builders.
export {
  listReplyMessage as listReplyWithDescription,
  orderMessage,
  revokeMessage,
} from '../../src/whatsapp/simulator/payloads.js'

/** The reference's order, with its two lines filled in. */
export const REFERENCE_ORDER = {
  catalog_id: '194836987003835',
  text: 'Can you deliver on Saturday?',
  product_items: [
    { product_retailer_id: 'di9ozbzfi4', quantity: 2, item_price: 30, currency: 'USD' },
    { product_retailer_id: 'nqryix03ez', quantity: 1, item_price: 25.5, currency: 'USD' },
  ],
}

/** "Flow response": `interactive.nfm_reply` with `response_json` as a string. */
export function flowReplyMessage(
  from: string,
  reply: { name?: string; body?: string; response_json: string },
  options: MessageOptions = {},
): InboundMessage {
  const { response_json: response, ...rest } = reply
  return simulatedFlowReply(from, { ...rest, response }, options)
}

/** The reference's `{"flow_token": …, "optional_param1": …, "optional_param2": …}`. */
export const REFERENCE_FLOW_RESPONSE = JSON.stringify({
  flow_token: 'AQAAAAACS5FpgQ_cAAAAAD0QI3s.',
  screen_0_Full_name_0: 'Maria Souza',
  screen_0_Delivery_date_1: '2026-12-12',
})

/** "Unsupported message" (v19+): the errors Meta attaches and `unsupported.type`. */
export function unsupportedOfType(
  from: string,
  type: string,
  options: MessageOptions = {},
): InboundMessage {
  return { ...unsupportedMessage(from, options), unsupported: { type } }
}

/** "Forwarded message": `context` carries only `forwarded` or `frequently_forwarded`. */
export function forwardedText(
  from: string,
  body: string,
  how: 'forwarded' | 'frequently_forwarded',
  options: MessageOptions = {},
): InboundMessage {
  // The simulator's type knows only a reply's `context: {from, id}`; a forward's has neither.
  const context = { [how]: true } as unknown as InboundMessage['context']
  return { ...messageBase(from, 'text', options), context, text: { body } }
}

export interface ReferralBody {
  source_url: string
  source_id: string
  source_type: string
  headline: string
  body: string
  media_type: string
  image_url?: string
  video_url?: string
  thumbnail_url?: string
  ctwa_clid: string
}

/** "Click-to-WhatsApp ad": a text whose `referral` names the ad. */
export function referralText(
  from: string,
  body: string,
  referral: ReferralBody,
  options: MessageOptions = {},
): InboundMessage {
  return { referral, ...messageBase(from, 'text', options), text: { body } }
}

export const REFERENCE_REFERRAL: ReferralBody = {
  source_url: 'https://fb.me/3cr4Wqqkr',
  source_id: '120210536984550198',
  source_type: 'ad',
  headline: 'Summer sale: 30% off',
  body: 'Tap to chat with us on WhatsApp',
  media_type: 'image',
  image_url: 'https://scontent.example/ad-image.jpg',
  ctwa_clid:
    'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zctGdE',
}

/**
 * "Edit" (v21+): the customer edited an earlier message; `edit.message` is the new message, shaped
 * like any inbound one of its type (`text.body`, or a media body whose `caption` changed).
 */
export function editMessage(
  from: string,
  originalId: string,
  edited: { text: string } | { image: { id: string; mime_type: string; caption: string } },
  options: MessageOptions = {},
): InboundMessage {
  const message =
    'text' in edited
      ? { type: 'text' as const, text: { body: edited.text } }
      : { type: 'image' as const, image: edited.image }
  return simulatedEdit(from, originalId, message, options)
}

/**
 * "System: user changed number": `from` is the old number, `system.wa_id` the new one, and (since
 * business-scoped user ids) `user_id` the new BSUID. System messages come with no `contacts`.
 */
export function numberChangeMessage(
  from: string,
  change: { waId: string; userId?: string; previousUserId?: string; name?: string },
  options: MessageOptions = {},
): InboundMessage {
  const system: Record<string, string> = {
    body: `User ${change.name ?? 'Customer'} changed from ${from} to ${change.waId}`,
    wa_id: change.waId,
    type: 'user_changed_number',
  }
  if (change.userId) system.user_id = change.userId
  if (change.previousUserId) system.previous_user_id = change.previousUserId
  return { ...messageBase(from, 'system', options), system }
}

/** The same change as Graph v11 and older wrote it: `new_wa_id`, `customer_changed_number`. */
export function legacyNumberChangeMessage(
  from: string,
  newWaId: string,
  options: MessageOptions = {},
): InboundMessage {
  return {
    ...messageBase(from, 'system', options),
    system: {
      body: `User A changed from ${from} to ${newWaId}`,
      new_wa_id: newWaId,
      type: 'customer_changed_number',
    },
  }
}

/** A status as the reference shows it, with `conversation.origin.type` and `pricing.category`. */
export function pricedStatus(
  wamid: string,
  status: 'sent' | 'delivered' | 'read',
  recipientId: string,
  billing: { category: string; origin: string },
): StatusEvent {
  return {
    ...statusEvent(wamid, status, recipientId, { timestamp: Date.now() / 1000 }),
    conversation: { id: 'a5b5e5c1e4d34c1a8f0c1e8b8a4d5f01', origin: { type: billing.origin } },
    pricing: { billable: true, pricing_model: 'PMP', category: billing.category },
  }
}
