/**
 * Serves the built SvelteKit app (adapter-node output) from the same Hono server as /api and /sync.
 *
 * adapter-node's `handler.js` is a Node (connect-style) middleware that already does the right
 * thing for a SvelteKit build: static files with immutable caching for hashed assets, prerendered
 * pages, and the app shell/SSR for everything else. Rather than re-implement that on Hono, the
 * middleware below runs it on the raw Node request and response that @hono/node-server exposes as
 * `c.env.incoming` / `c.env.outgoing`, waits until it has finished writing, and tells the adapter
 * not to write a response of its own (`RESPONSE_ALREADY_SENT`). Mount it last: it answers every
 * request that reaches it (unknown paths get the app's own 404 page).
 */
import { existsSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { HttpBindings } from '@hono/node-server'
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response'
import type { MiddlewareHandler } from 'hono'
import { securityHeadersFor } from './middleware/security-headers.js'

/** The shape of adapter-node's exported `handler` (polka/connect middleware). */
type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => unknown

/**
 * Loads `<buildDir>/handler.js` and returns a Hono middleware serving the web app, or null when the
 * app has not been built (the API and sync server still run without it).
 * `buildDir` may be relative: it is resolved against the working directory.
 */
export async function createWebApp(buildDir: string): Promise<MiddlewareHandler | null> {
  const handlerFile = path.resolve(buildDir, 'handler.js')
  if (!existsSync(handlerFile)) return null
  const { handler } = (await import(pathToFileURL(handlerFile).href)) as { handler: NodeMiddleware }

  return async (c, next) => {
    const { incoming, outgoing } = (c.env ?? {}) as Partial<HttpBindings>
    // Without Node bindings (e.g. `app.request()` in a unit test) there is nothing to write to.
    if (!incoming || !outgoing) return next()
    // Hono's `c.header()` never reaches a response written here, so the security headers go on
    // the Node response first (adapter-node's own headers are merged in when it writes). The
    // pages' Content-Security-Policy comes from SvelteKit (`kit.csp` in svelte.config.js).
    for (const [name, value] of Object.entries(securityHeadersFor(c)))
      outgoing.setHeader(name, value)
    const handled = await runNodeMiddleware(handler, incoming, outgoing)
    if (!handled) return next()
    return RESPONSE_ALREADY_SENT
  }
}

/**
 * Runs a Node middleware to completion. Resolves true once the response has been written (or the
 * client went away), false if the middleware passed the request on without answering it.
 */
function runNodeMiddleware(
  middleware: NodeMiddleware,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    let settled = false
    const settle = (handled: boolean) => {
      if (settled) return
      settled = true
      res.off('finish', onDone)
      res.off('close', onDone)
      resolve(handled)
    }
    const onDone = () => settle(true)
    const fail = (error: unknown) => {
      if (settled) return
      if (res.headersSent) {
        // Too late for an error page: cut the response short so the client sees it failed.
        res.destroy(error instanceof Error ? error : undefined)
        settle(true)
        return
      }
      settled = true
      res.off('finish', onDone)
      res.off('close', onDone)
      reject(error)
    }
    res.once('finish', onDone)
    res.once('close', onDone)
    try {
      Promise.resolve(middleware(req, res, () => settle(false))).catch(fail)
    } catch (error) {
      fail(error)
    }
  })
}
