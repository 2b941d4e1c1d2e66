import type { Context } from 'hono'
import * as v from 'valibot'
import { ApiError } from './errors.js'

/**
 * Parses the JSON body and checks it against a valibot schema: 400 `malformed_json` when it is not
 * JSON, 400 `invalid_body` naming the first offending field otherwise. The parser's own message is
 * not echoed, since it can quote the body.
 */
export async function readJson<S extends v.GenericSchema>(
  c: Context,
  schema: S,
): Promise<v.InferOutput<S>> {
  let body: unknown
  try {
    body = JSON.parse(await c.req.text())
  } catch {
    throw new ApiError(400, 'malformed_json', 'The request body must be valid JSON')
  }
  const result = v.safeParse(schema, body)
  if (!result.success) {
    const issue = result.issues[0]
    const field = issue ? v.getDotPath(issue) : null
    const message = issue?.message ?? 'Invalid request body'
    throw new ApiError(400, 'invalid_body', field ? `${field}: ${message}` : message)
  }
  return result.output
}

/**
 * An optional JSON object body: `{}` when there is none, 400 `malformed_json` when it is not JSON,
 * 400 `invalid_body` when it is JSON but not an object. The caller checks the fields.
 */
export async function readOptionalJson(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text()
  if (text.trim() === '') return {}
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new ApiError(400, 'malformed_json', 'The request body must be valid JSON')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'invalid_body', 'The request body must be a JSON object')
  }
  return body as Record<string, unknown>
}

export const Email = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.maxLength(254, 'must be at most 254 characters'),
  v.email('must be an email address'),
)
export const Password = v.pipe(
  v.string('must be a string'),
  v.minLength(8, 'must be at least 8 characters'),
  v.maxLength(256, 'must be at most 256 characters'),
)
export const Name = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(100, 'must be at most 100 characters'),
)
export const RoleSchema = v.picklist(['agent', 'admin'], "must be 'agent' or 'admin'")
