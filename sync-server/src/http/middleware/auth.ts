/**
 * Who is calling: the session token comes from `Authorization: Bearer …` or the `atende_session`
 * cookie. `requireSession` rejects the request without a live session; `requireAdmin` narrows to
 * admins. Where the token is read (`tokenFromRequest`) lives in ../../session-token.ts, which the
 * sync route uses too.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Actor } from '@atende/shared'
import { SESSION_COOKIE, tokenFromRequest } from '../../session-token.js'
import type { Sessions } from '../../store/sessions.js'
import { ApiError } from '../errors.js'

/** Hono env of every route behind `requireSession`. */
export interface AuthEnv {
  Variables: {
    actor: Actor
    /** The caller's session token, to revoke it on sign-out. */
    token: string
  }
}

/** True when the client reached us over https, directly or through a proxy that says so. */
export function isHttps(c: Context): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true
  return c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https'
}

export function setSessionCookie(c: Context, token: string, maxAgeMs: number): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: isHttps(c),
    maxAge: Math.floor(maxAgeMs / 1000),
  })
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c),
  })
}

/** 401 unless the request carries a live session of an active agent; sets `actor` and `token`. */
export function requireSession(options: { sessions: Sessions }): MiddlewareHandler<AuthEnv> {
  const { sessions } = options
  return async (c, next) => {
    const token = tokenFromRequest(c)
    const session = token ? sessions.resolve(token) : null
    if (!token || !session) throw new ApiError(401, 'unauthorized', 'Sign in to continue')
    c.set('actor', session.actor)
    c.set('token', token)
    // The expiry slid forward: let a cookie-borne session slide in the browser too.
    if (session.renewed && getCookie(c, SESSION_COOKIE) === token) {
      setSessionCookie(c, token, sessions.ttlMs)
    }
    await next()
  }
}

/** 403 unless the signed-in actor is an admin. Mount after `requireSession`. */
export function requireAdmin(): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    if (c.get('actor').role !== 'admin') {
      throw new ApiError(403, 'forbidden', 'Only an admin can do this')
    }
    await next()
  }
}
