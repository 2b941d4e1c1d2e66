/**
 * The ticket list's query: filters, the three orders (`TicketSort`) and their keyset cursors.
 *
 * Every order is descending and ends on the id, so it is total and a page boundary is one row
 * value: `created` pages on (created_at, id), `updated` on (updated_at, id), `priority` on
 * (rank, created_at, id), the rank being the priority's place in `TICKET_PRIORITIES` (urgent
 * highest). The cursor is those values joined by `_`, the first two orders' as before.
 */
import {
  TICKET_PRIORITIES,
  type TicketPriority,
  type TicketSort,
  type TicketStatus,
  type TicketSummary,
} from '@atende/shared'

export interface TicketFilter {
  status?: TicketStatus
  priority?: TicketPriority
  /** An agent id, `null` for unassigned tickets, absent for any. */
  assigneeId?: string | null
  /** True: only tickets whose conversation was closed (filed); false: only live ones. */
  filed?: boolean
  /** Matches the protocol number, the subject, the contact's name, phone or email. */
  q?: string
  /** Default `created` (newest first). */
  sort?: TicketSort
  /** From a previous page's `nextCursor` (of the same sort). */
  cursor?: string | null
  limit?: number
}

const RANK = `(CASE t.priority ${TICKET_PRIORITIES.map((p, i) => `WHEN '${p}' THEN ${i}`).join(' ')} END)`

const KEYS: Record<TicketSort, string[]> = {
  created: ['t.created_at', 't.id'],
  updated: ['t.updated_at', 't.id'],
  priority: [RANK, 't.created_at', 't.id'],
}

const UUID = '([0-9a-f-]{36})'
const CURSORS: Record<TicketSort, RegExp> = {
  created: new RegExp(`^(\\d{1,15})_${UUID}$`),
  updated: new RegExp(`^(\\d{1,15})_${UUID}$`),
  priority: new RegExp(`^([0-${TICKET_PRIORITIES.length - 1}])_(\\d{1,15})_${UUID}$`),
}

/** The cursor that resumes after `ticket` in the given order. */
export function encodeTicketCursor(ticket: TicketSummary, sort: TicketSort = 'created'): string {
  if (sort === 'updated') return `${ticket.updatedAt}_${ticket.id}`
  if (sort === 'priority') {
    return `${TICKET_PRIORITIES.indexOf(ticket.priority)}_${ticket.createdAt}_${ticket.id}`
  }
  return `${ticket.createdAt}_${ticket.id}`
}

/** The cursor's row value (numbers, then the id), or null for a string that is not one of ours. */
export function parseTicketCursor(
  cursor: string,
  sort: TicketSort = 'created',
): (number | string)[] | null {
  const match = CURSORS[sort].exec(cursor)
  if (!match) return null
  const values = match.slice(1)
  return values.map((value, i) => (i === values.length - 1 ? value! : Number(value)))
}

/** `q` as a LIKE pattern matching it anywhere, with LIKE's wildcards escaped. */
function containing(q: string): string {
  return `%${q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
}

/** The WHERE and ORDER BY of a page (before its LIMIT), with their parameters. */
export function ticketListQuery(filter: TicketFilter): { clauses: string; params: unknown[] } {
  const sort = filter.sort ?? 'created'
  const where: string[] = []
  const params: unknown[] = []
  if (filter.status) {
    where.push('t.status = ?')
    params.push(filter.status)
  }
  if (filter.priority) {
    where.push('t.priority = ?')
    params.push(filter.priority)
  }
  if (filter.assigneeId === null) where.push('t.assignee_id IS NULL')
  else if (filter.assigneeId !== undefined) {
    where.push('t.assignee_id = ?')
    params.push(filter.assigneeId)
  }
  if (filter.filed !== undefined) {
    where.push(filter.filed ? 't.filed_at IS NOT NULL' : 't.filed_at IS NULL')
  }
  const q = filter.q?.trim()
  if (q) {
    where.push(
      `(t.number LIKE ? ESCAPE '\\' OR t.subject LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\'
        OR c.phone LIKE ? ESCAPE '\\' OR c.email LIKE ? ESCAPE '\\')`,
    )
    const pattern = containing(q)
    params.push(pattern, pattern, pattern, pattern, pattern)
  }
  const keys = KEYS[sort]
  const after = filter.cursor ? parseTicketCursor(filter.cursor, sort) : null
  if (after) {
    where.push(`(${keys.join(', ')}) < (${keys.map(() => '?').join(', ')})`)
    params.push(...after)
  }
  const order = keys.map((key) => `${key} DESC`).join(', ')
  return {
    clauses: `${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order}`,
    params,
  }
}
