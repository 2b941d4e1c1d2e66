/**
 * Browser hardening headers on every response: the API's JSON, webhooks, `/healthz`, the media
 * files, and (through `securityHeadersFor`) the web app's pages and static files.
 *
 * Hand-written rather than `hono/secure-headers`: that middleware sets its headers on `c.res` after
 * the handler, which never reaches the web app (adapter-node writes to the raw Node response and
 * answers `RESPONSE_ALREADY_SENT`, a shared object it would then modify), and its defaults need
 * most of its options overridden. One table here serves both paths.
 *
 * The pages' own Content-Security-Policy (with the hashes of SvelteKit's inline bootstrap script)
 * comes from `kit.csp` in svelte.config.js; everything Hono answers is data, never a page, so it
 * gets a policy that allows nothing at all.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { isHttps } from './auth.js'

/** For responses that are not pages: load nothing, run nothing, be framed by no one. */
export const LOCKED_DOWN_CSP = "default-src 'none'; frame-ancestors 'none'"

/** One year; sent only over https (browsers ignore it on plain http anyway). */
const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains'

const BASE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  // Not `no-referrer`: with it, browsers send `Origin: null` on same-origin POSTs, and the API's
  // Origin check (same-origin.ts, for browsers without Sec-Fetch-Site) and SvelteKit's CSRF check
  // would refuse our own requests. This one keeps full URLs (conversation and ticket ids) inside
  // the origin and gives other sites (an OpenStreetMap link, say) only the origin.
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  // For old browsers; current ones follow CSP `frame-ancestors 'none'`.
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

/** The headers every response gets (no CSP): HSTS is added when the request came over https. */
export function securityHeadersFor(c: Context): Record<string, string> {
  return isHttps(c)
    ? { ...BASE_HEADERS, 'Strict-Transport-Security': STRICT_TRANSPORT_SECURITY }
    : { ...BASE_HEADERS }
}

/**
 * Adds the security headers to every response Hono builds, without replacing one a route set
 * itself (the media routes' sandboxing CSP, say). Mount first, before any route.
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next()
    // The web app wrote its response straight to the socket (web-app.ts sets its headers there).
    if (c.res.headers.has('x-hono-already-sent')) return
    const headers = c.res.headers
    for (const [name, value] of Object.entries(securityHeadersFor(c))) {
      if (!headers.has(name)) headers.set(name, value)
    }
    if (!headers.has('Content-Security-Policy'))
      headers.set('Content-Security-Policy', LOCKED_DOWN_CSP)
  }
}
