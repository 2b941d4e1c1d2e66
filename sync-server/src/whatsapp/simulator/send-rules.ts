/**
 * The checks Meta applies to `POST /{phone-number-id}/messages` before accepting a send, with the
 * error Meta answers (code 100 "Invalid parameter" and a `details` naming the parameter). Strict
 * on purpose: a payload the fake accepts is one the real Cloud API accepts.
 */

export type SendRequest =
  | { kind: 'read'; messageId: string; typing: boolean }
  | {
      kind: 'send'
      to: string
      type: string
      replyTo: string | null
      message: Record<string, unknown>
    }

export interface SendRejection {
  code: number
  message: string
  details: string
}

export type SendCheck = { ok: true; request: SendRequest } | { ok: false; rejection: SendRejection }

const MEDIA = new Set(['image', 'video', 'audio', 'document', 'sticker'])
const TYPES = new Set([
  ...MEDIA,
  'text',
  'template',
  'location',
  'contacts',
  'interactive',
  'reaction',
])
export const TEXT_LIMIT = 4096

function invalid(details: string): SendCheck {
  return { ok: false, rejection: { code: 100, message: '(#100) Invalid parameter', details } }
}

function required(name: string): SendCheck {
  return {
    ok: false,
    rejection: {
      code: 100,
      message: `(#100) The parameter ${name} is required.`,
      details: `The parameter ${name} is required.`,
    },
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0

function checkMedia(
  type: string,
  media: Record<string, unknown>,
  knownMedia: (id: string) => boolean,
): string | null {
  const hasId = media.id !== undefined
  const hasLink = media.link !== undefined
  if (hasId === hasLink) return `Param ${type} must have exactly one of 'id' or 'link'.`
  if (hasId && (!isText(media.id) || !knownMedia(media.id))) {
    return `Param ${type}['id'] is not a valid uploaded media id.`
  }
  if (hasLink && (!isText(media.link) || !/^https?:\/\//.test(media.link))) {
    return `Param ${type}['link'] must be a URL.`
  }
  if ((type === 'audio' || type === 'sticker') && media.caption !== undefined) {
    return `Param ${type}['caption'] is not allowed for ${type}.`
  }
  if (
    media.caption !== undefined &&
    (typeof media.caption !== 'string' || media.caption.length > 1024)
  ) {
    return `Param ${type}['caption'] must be a string of at most 1024 characters.`
  }
  if (media.filename !== undefined && type !== 'document') {
    return `Param ${type}['filename'] is only allowed for documents.`
  }
  if (media.voice !== undefined && (type !== 'audio' || typeof media.voice !== 'boolean')) {
    return `Param ${type}['voice'] is only allowed as a boolean on audio.`
  }
  return null
}

function checkTypeObject(
  type: string,
  object: Record<string, unknown>,
  knownMedia: (id: string) => boolean,
): string | null {
  if (type === 'text') {
    if (typeof object.body !== 'string' || object.body.trim() === '')
      return "Param text['body'] is required."
    if (object.body.length > TEXT_LIMIT) {
      return `Param text['body'] must be at most ${TEXT_LIMIT} characters long.`
    }
    if (object.preview_url !== undefined && typeof object.preview_url !== 'boolean') {
      return "Param text['preview_url'] must be a boolean."
    }
    return null
  }
  if (MEDIA.has(type)) return checkMedia(type, object, knownMedia)
  if (type === 'template') {
    if (!isText(object.name)) return "Param template['name'] is required."
    const language = object.language
    if (!isObject(language) || !isText(language.code))
      return "Param template['language']['code'] is required."
    if (object.components !== undefined && !Array.isArray(object.components)) {
      return "Param template['components'] must be an array."
    }
    return null
  }
  if (type === 'reaction') {
    if (!isText(object.message_id)) return "Param reaction['message_id'] is required."
    if (typeof object.emoji !== 'string') return "Param reaction['emoji'] is required."
    return null
  }
  if (type === 'location') {
    if (typeof object.latitude !== 'number' && typeof object.latitude !== 'string') {
      return "Param location['latitude'] is required."
    }
    if (typeof object.longitude !== 'number' && typeof object.longitude !== 'string') {
      return "Param location['longitude'] is required."
    }
    return null
  }
  if (type === 'interactive') {
    if (!isText(object.type)) return "Param interactive['type'] is required."
    if (!isObject(object.action)) return "Param interactive['action'] is required."
    return null
  }
  return null
}

/** Checks a messages POST body: a mark-read (`status:'read'`) or a send. */
export function checkSendBody(body: unknown, knownMedia: (id: string) => boolean): SendCheck {
  if (!isObject(body)) return invalid('The request body must be a JSON object.')
  if (body.messaging_product === undefined) return required('messaging_product')
  if (body.messaging_product !== 'whatsapp')
    return invalid("Param messaging_product must be 'whatsapp'.")

  if (body.status !== undefined) {
    if (body.status !== 'read') return invalid("Param status must be 'read'.")
    if (!isText(body.message_id)) return required('message_id')
    const typing = body.typing_indicator
    if (typing !== undefined && (!isObject(typing) || typing.type !== 'text')) {
      return invalid("Param typing_indicator['type'] must be 'text'.")
    }
    return {
      ok: true,
      request: { kind: 'read', messageId: body.message_id, typing: typing !== undefined },
    }
  }

  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') {
    return invalid("Param recipient_type must be 'individual'.")
  }
  if (body.to === undefined) return required('to')
  if (typeof body.to !== 'string' || !/^\+?\d{7,15}$/.test(body.to.replace(/[\s-]/g, ''))) {
    return invalid('Param to must be a phone number or WhatsApp id.')
  }
  const type = body.type === undefined ? 'text' : body.type
  if (typeof type !== 'string' || !TYPES.has(type))
    return invalid(`Param type '${String(type)}' is not a valid message type.`)
  const object = body[type]
  if (!isObject(object)) return required(type)
  const problem = checkTypeObject(type, object, knownMedia)
  if (problem) return invalid(problem)

  let replyTo: string | null = null
  if (body.context !== undefined) {
    if (!isObject(body.context) || !isText(body.context.message_id)) {
      return invalid("Param context['message_id'] is required.")
    }
    replyTo = body.context.message_id
  }
  return { ok: true, request: { kind: 'send', to: body.to, type, replyTo, message: body } }
}

/** The `wa_id` Meta answers for a `to`: its digits. */
export function waIdOf(to: string): string {
  return to.replace(/\D/g, '')
}
