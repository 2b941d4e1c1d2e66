/**
 * `/api/audit`: the audit log of admin actions, newest first, for admins only.
 *
 *   GET /?before=<id>&limit=<1..200, default 50>
 *     → { entries: [{ id, at (ISO), actor: {id, name}, action, target, details }], next }
 *
 * `next` is the `before` of the next (older) page, as a string, or null at the oldest entry.
 */
import { Hono, type Context } from 'hono'
import type { AuditLog } from '../../store/audit.js'
import { ApiError } from '../errors.js'
import { requireAdmin, type AuthEnv } from '../middleware/auth.js'

export const AUDIT_PAGE_DEFAULT = 50
export const AUDIT_PAGE_MAX = 200

function wholeNumber(c: Context, name: string, min: number, max: number): number | undefined {
  const raw = c.req.query(name)
  if (raw === undefined || raw === '') return undefined
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ApiError(400, 'invalid_query', `${name} must be a whole number from ${min} to ${max}`)
  }
  return value
}

/** Mount at `/audit` behind `requireSession`. */
export function auditRoutes(options: { audit: AuditLog }): Hono<AuthEnv> {
  const { audit } = options
  return new Hono<AuthEnv>().get('/', requireAdmin(), (c) => {
    const before = wholeNumber(c, 'before', 1, Number.MAX_SAFE_INTEGER)
    const limit = wholeNumber(c, 'limit', 1, AUDIT_PAGE_MAX) ?? AUDIT_PAGE_DEFAULT
    const page = audit.page({ before, limit })
    return c.json({
      entries: page.entries.map((entry) => ({ ...entry, at: new Date(entry.at).toISOString() })),
      next: page.next === null ? null : String(page.next),
    })
  })
}
