/**
 * The audit log of admin actions: settings, agents, templates, canned responses, and conversations
 * deleted (their own records go with them, so this is the trace that one existed); and, by the
 * system, repeated failed sign-ins on an account. Entries are
 * written after the change they describe succeeded and never change afterwards. Details name what
 * changed; they never carry a secret or a password (for those, only that they changed).
 */
import type { Db } from './db.js'

export type AuditAction =
  | 'settings.whatsapp'
  | 'settings.read_receipts'
  | 'settings.shifts'
  | 'agent.create'
  | 'agent.update'
  | 'agent.delete'
  | 'template.create'
  | 'template.update'
  | 'template.delete'
  | 'canned_response.create'
  | 'canned_response.update'
  | 'canned_response.delete'
  | 'conversation.delete'
  | 'auth.sign_in_failures'

/** Who acted; without a name, the agent's current name is looked up. */
export interface AuditActor {
  id: string
  name?: string
}

export interface AuditEntry {
  id: number
  /** ms epoch */
  at: number
  actor: { id: string; name: string }
  action: string
  target: string | null
  details: Record<string, unknown>
}

export interface AuditPage {
  entries: AuditEntry[]
  /** The `before` that reads the next (older) page, or null at the oldest entry. */
  next: number | null
}

export interface AuditLog {
  record(
    actor: AuditActor,
    action: AuditAction,
    target: string | null,
    details?: Record<string, unknown>,
  ): void
  /** Newest first; `before` is an entry id (exclusive). */
  page(options: { before?: number; limit: number }): AuditPage
}

interface AuditRow {
  id: number
  at: number
  actor_id: string
  actor_name: string
  action: string
  target: string | null
  details: string
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

export function createAuditLog(db: Db, now: () => number = Date.now): AuditLog {
  const insert = db.prepare(
    `INSERT INTO audit_log (at, actor_id, actor_name, action, target, details)
     VALUES (@at, @actorId, COALESCE(@actorName, (SELECT name FROM agents WHERE id = @actorId), ''),
             @action, @target, @details)`,
  )
  const newest = db.prepare<[number], AuditRow>('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?')
  const older = db.prepare<[number, number], AuditRow>(
    'SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?',
  )
  return {
    record(actor, action, target, details = {}) {
      insert.run({
        at: now(),
        actorId: actor.id,
        actorName: actor.name ?? null,
        action,
        target,
        details: JSON.stringify(details),
      })
    },
    page({ before, limit }) {
      // One more than asked tells whether an older page exists.
      const rows = before === undefined ? newest.all(limit + 1) : older.all(before, limit + 1)
      const entries = rows.slice(0, limit).map((row) => ({
        id: row.id,
        at: row.at,
        actor: { id: row.actor_id, name: row.actor_name },
        action: row.action,
        target: row.target,
        details: parseDetails(row.details),
      }))
      return { entries, next: rows.length > limit ? entries[entries.length - 1]!.id : null }
    },
  }
}
