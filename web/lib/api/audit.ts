import { callApi, type Fetch } from './http'

/** One thing an admin (or the system) changed, as the audit log records it. */
export interface AuditEntry {
  id: string | number
  /** ISO date and time. */
  at: string
  actor: { id: string; name: string } | null
  /** e.g. `agent.update`, `settings.whatsapp`. */
  action: string
  /** What it was about: an id (agent, template…) or a word (`whatsapp`, `shifts`). */
  target: unknown
  /** What changed; never a secret (for those, only that they changed). */
  details: unknown
}

export interface AuditPage {
  entries: AuditEntry[]
  /** Pass as `before` for the next (older) page; null at the end. */
  next: string | null
}

/** GET /api/audit (admins): newest first, `limit` at a time. */
export function getAuditLog(
  fetchFn: Fetch,
  options: { before?: string | null; limit?: number } = {},
): Promise<AuditPage> {
  const params = new URLSearchParams({ limit: String(options.limit ?? 50) })
  if (options.before) params.set('before', options.before)
  return callApi(fetchFn, `/api/audit?${params}`)
}
