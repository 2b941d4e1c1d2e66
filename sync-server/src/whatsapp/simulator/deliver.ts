/**
 * Delivers a webhook the way Meta does: a POST of the exact JSON bytes (non-ASCII escaped) with
 * `X-Hub-Signature-256` computed over those bytes with the app secret.
 */
import { signWebhook } from '../signature.js'
import { metaJson } from './payloads.js'

export interface DeliverOptions {
  /** A header value to send instead of the correct one; `null` sends no signature at all. */
  signature?: string | null
  /** Bytes to send instead of `metaJson(payload)` (signed as given unless `signature` is set). */
  rawBody?: string
  fetch?: typeof fetch
  timeoutMs?: number
}

/** POSTs `payload` to `url` (the full webhook URL), signed with `appSecret`. */
export function deliverWebhook(
  url: string,
  payload: unknown,
  appSecret: string,
  options: DeliverOptions = {},
): Promise<Response> {
  const body = options.rawBody ?? metaJson(payload)
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'facebookexternalua',
  }
  const signature =
    options.signature === undefined ? signWebhook(body, appSecret) : options.signature
  if (signature !== null) headers['x-hub-signature-256'] = signature
  return (options.fetch ?? fetch)(url, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
  })
}
