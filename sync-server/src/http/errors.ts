/**
 * One error shape for the whole API: `{ error: { code, message } }` with the matching status.
 * Route code throws `ApiError` (an `HTTPException` with a code); domain errors from the store are
 * mapped here by their `code`; anything else is a 500 whose details stay in the log.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Logger } from '../log.js'
import { AccountError, type AccountErrorCode } from '../store/accounts.js'

export class ApiError extends HTTPException {
  override readonly name = 'ApiError'
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** More fields for the error object, e.g. a content mismatch's `reason`. */
    readonly details: Record<string, string> = {},
  ) {
    super(status, { message })
  }
}

const ACCOUNT_STATUS: Record<AccountErrorCode, ContentfulStatusCode> = {
  agent_not_found: 404,
  email_taken: 409,
  last_admin: 409,
}

// Codes for HTTPExceptions thrown by Hono's own middleware (body limit, …).
const STATUS_CODE: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
}

interface ErrorBody {
  status: ContentfulStatusCode
  code: string
  message: string
  headers?: Record<string, string>
  details?: Record<string, string>
}

function describe(err: unknown): ErrorBody | null {
  if (err instanceof ApiError) {
    const { status, code, message, headers, details } = err
    return { status, code, message, headers, details }
  }
  if (err instanceof AccountError) {
    return { status: ACCOUNT_STATUS[err.code], code: err.code, message: err.message }
  }
  if (err instanceof HTTPException) {
    const code = STATUS_CODE[err.status] ?? 'http_error'
    // Hono's built-in middleware put their text in a prepared response, not in `message`.
    if (err.status === 413) {
      // The unread rest of the body is dropped with the connection: tell the client not to reuse it.
      return {
        status: 413,
        code,
        message: 'The request body is too large',
        headers: { Connection: 'close' },
      }
    }
    return { status: err.status, code, message: err.message || code }
  }
  return null
}

export function errorResponse(c: Context, body: ErrorBody): Response {
  for (const [name, value] of Object.entries(body.headers ?? {})) c.header(name, value)
  return c.json({ error: { ...body.details, code: body.code, message: body.message } }, body.status)
}

/** `app.onError`: typed errors keep their status; the rest become a logged 500. */
export function handleError(log: Logger): ErrorHandler {
  return (err, c) => {
    const known = describe(err)
    if (known) return errorResponse(c, known)
    log.error('request failed', { method: c.req.method, path: c.req.path, err, stack: err.stack })
    return errorResponse(c, {
      status: 500,
      code: 'internal',
      message: 'Something went wrong on the server',
    })
  }
}

/** `app.notFound`: JSON for API paths, plain text elsewhere (the web app answers its own 404s). */
export const notFound: NotFoundHandler = (c) => {
  if (/^\/(api|webhooks)(\/|$)/.test(c.req.path)) {
    return errorResponse(c, {
      status: 404,
      code: 'not_found',
      message: `No route for ${c.req.method} ${c.req.path}`,
    })
  }
  return c.text('Not found', 404)
}
