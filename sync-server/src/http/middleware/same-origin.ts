/**
 * Refuses state-changing requests that a browser sent from another site. The session cookie is
 * SameSite=Lax already; this also covers sibling sites and bodies sent as text/plain. Clients that
 * are not browsers send neither `Sec-Fetch-Site` nor `Origin` and pass.
 */
import type { MiddlewareHandler } from 'hono'
import { ApiError } from '../errors.js'

const SAFE_METHOD = /^(GET|HEAD|OPTIONS)$/

export function sameOrigin(): MiddlewareHandler {
  return async (c, next) => {
    if (!SAFE_METHOD.test(c.req.method)) {
      const site = c.req.header('sec-fetch-site')
      const origin = c.req.header('origin')
      const foreign = site
        ? site === 'cross-site' || site === 'same-site'
        : origin !== undefined &&
          !sameHost(origin, c.req.header('x-forwarded-host') ?? c.req.header('host'))
      if (foreign)
        throw new ApiError(403, 'cross_site_request', 'Requests from other sites are not allowed')
    }
    await next()
  }
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host.split(',')[0]!.trim().toLowerCase()
  } catch {
    return false
  }
}
