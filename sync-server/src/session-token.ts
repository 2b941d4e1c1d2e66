/**
 * Where a request carries its session token: `Authorization: Bearer …`, else the `atende_session`
 * cookie, else (only where asked, for the WebSocket upgrade: browsers cannot set headers on a
 * WebSocket) `?token=`. Shared by the HTTP session middleware and the sync endpoint, so it lives
 * outside both.
 */
import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'

export const SESSION_COOKIE = 'atende_session'

export interface TokenOptions {
  /** Also accept `?token=` (only for the WebSocket upgrade: URLs end up in logs). */
  allowQuery?: boolean
}

/** The session token the request carries (Bearer header first, then cookie), or null. */
export function tokenFromRequest(c: Context, options: TokenOptions = {}): string | null {
  const header = c.req.header('authorization')
  const bearer = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1]
  if (bearer) return bearer
  const cookie = getCookie(c, SESSION_COOKIE)
  if (cookie) return cookie
  if (options.allowQuery) return c.req.query('token') || null
  return null
}
