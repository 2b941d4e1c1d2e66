/** Graph API error bodies, in Meta's shape: `{error:{message, type, code, error_data, fbtrace_id}}`. */
import { randomBytes } from 'node:crypto'

export interface GraphErrorBody {
  error: {
    message: string
    type: string
    code: number
    error_subcode?: number
    error_data?: { messaging_product: 'whatsapp'; details: string }
    fbtrace_id: string
  }
}

export interface GraphErrorSpec {
  code: number
  message?: string
  details?: string
  type?: string
  subcode?: number
}

const TITLES: Record<number, string> = {
  1: 'An unknown error occurred',
  2: 'Service temporarily unavailable',
  4: 'Application request limit reached',
  100: '(#100) Invalid parameter',
  190: 'Invalid OAuth access token - Cannot parse access token',
  368: 'Temporarily blocked for policies violations',
  80007: 'Rate limit hit',
  130429: 'Rate limit hit',
  131000: 'Something went wrong',
  131016: 'Service unavailable',
  131026: 'Message undeliverable',
  131031: 'Account has been locked',
  131047: 'Re-engagement message',
  131051: 'Unsupported message type',
  131053: 'Media upload error',
  131056: '(Business Account, Consumer Account) pair rate limit hit',
  132000: 'Number of parameters does not match the expected number of params',
  132001: 'Template name does not exist in the translation',
  133010: 'Account not registered',
}

/** The HTTP status Meta answers with a given error code. */
export function defaultHttpStatus(code: number): number {
  if (code === 190) return 401
  if (code === 1 || code === 2 || code === 131000 || code === 131016) return 500
  if (code === 4 || code === 80007 || code === 130429 || code === 131056) return 429
  if (code === 368 || code === 131031) return 403
  return 400
}

export function fbtraceId(): string {
  return 'A' + randomBytes(17).toString('base64').replace(/[+/=]/g, 'x').slice(0, 22)
}

export function graphErrorBody(spec: GraphErrorSpec): GraphErrorBody {
  const message = spec.message ?? TITLES[spec.code] ?? `Error ${spec.code}`
  const error: GraphErrorBody['error'] = {
    message,
    type: spec.type ?? 'OAuthException',
    code: spec.code,
    fbtrace_id: fbtraceId(),
  }
  if (spec.subcode !== undefined) error.error_subcode = spec.subcode
  if (spec.code !== 190)
    error.error_data = { messaging_product: 'whatsapp', details: spec.details ?? message }
  return { error }
}

/** `Unsupported … request. Object with ID … does not exist`: an unknown id in the path. */
export function unknownObject(method: string, id: string): GraphErrorSpec {
  return {
    code: 100,
    subcode: 33,
    type: 'GraphMethodException',
    message:
      `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be ` +
      'loaded due to missing permissions, or does not support this operation.',
  }
}
