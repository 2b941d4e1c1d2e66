import { createHmac, timingSafeEqual } from 'node:crypto'

/** `sha256=<hex HMAC-SHA256 of the raw body, keyed with the app secret>`, as Meta signs webhooks. */
export function signWebhook(rawBody: Uint8Array | string, appSecret: string): string {
  return 'sha256=' + createHmac('sha256', appSecret).update(rawBody).digest('hex')
}

/** Constant-time check of `X-Hub-Signature-256` over the exact bytes received. */
export function isValidSignature(
  rawBody: Uint8Array,
  header: string | undefined,
  appSecret: string,
): boolean {
  if (!header || !appSecret) return false
  const expected = Buffer.from(signWebhook(rawBody, appSecret))
  const given = Buffer.from(header.trim().toLowerCase())
  return given.length === expected.length && timingSafeEqual(given, expected)
}
