/**
 * Applies the API's access table (http/access.ts) to every `/api` request, in this order: the
 * declared route is looked up with Hono's own router; a route that is not public needs a live
 * session (401), an `admin` route an admin (403); then the body is capped at the route's size (413,
 * checked on `Content-Length` before anything is read, else while reading). A route not declared
 * answers 404 to a signed-in caller and 401 to anyone else, as the API did before the table.
 */
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { TrieRouter } from 'hono/router/trie-router'
import type { Sessions } from '../../store/sessions.js'
import type { RouteAccess } from '../access.js'
import { ApiError } from '../errors.js'
import { requireAdmin, requireSession, type AuthEnv } from './auth.js'

export interface AuthorizeOptions {
  sessions: Sessions
}

interface Compiled {
  route: RouteAccess
  limit: MiddlewareHandler
}

function compile(route: RouteAccess): Compiled {
  const { tooLarge } = route
  const limit = bodyLimit({
    maxSize: route.bodyLimit ?? 0,
    // Without `onError`, Hono's own 413 becomes `payload_too_large` in errors.ts.
    ...(tooLarge && {
      onError: () => {
        throw new ApiError(413, tooLarge.code, tooLarge.message, { Connection: 'close' })
      },
    }),
  })
  return { route, limit }
}

/** The middleware enforcing `table`; mount it on the API before any route. */
export function authorize(
  table: readonly RouteAccess[],
  options: AuthorizeOptions,
): MiddlewareHandler<AuthEnv> {
  const router = new TrieRouter<Compiled>()
  for (const route of table) router.add(route.method, route.path, compile(route))
  const session = requireSession(options)
  const admin = requireAdmin()

  return (c, next) => {
    // Hono answers HEAD with the GET route.
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method
    const found = router.match(method, c.req.path)[0][0]?.[0]
    if (!found) {
      return session(c, () => {
        throw new ApiError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}`)
      })
    }
    const { route, limit } = found
    const capped = async () => {
      await limit(c, next)
    }
    if (route.access === 'public') return capped()
    if (route.access === 'signed-in') return session(c, capped)
    return session(c, async () => {
      await admin(c, capped)
    })
  }
}
