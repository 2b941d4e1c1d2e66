/**
 * `/api/tickets`: the ticket list and one ticket's transcript; status and assignee changes. Open
 * to every signed-in agent.
 *
 *   GET   /?status=&priority=&assignee=me|none|<agent id>&filed=true|false&q=&sort=&cursor=&limit=
 *           → { tickets, nextCursor }; q matches the number, subject, contact name, phone or
 *           email; sort is created (default), updated or priority, each newest / most urgent first;
 *           filed=true lists closed conversations' tickets (the inbox's search of closed work)
 *   GET   /:id    → { ticket: { …, messages, events } }
 *   PATCH /:id    { status?, assigneeId?, subject?, priority? }  → { ticket }
 */
import { Hono } from 'hono'
import * as v from 'valibot'
import {
  isTicketPriority,
  isTicketSort,
  isTicketStatus,
  isUuid,
  TICKET_PRIORITIES,
  TICKET_SORTS,
  TICKET_STATUSES,
} from '@atende/shared'
import { createLifecycleDeps, type LifecycleDeps } from '../../lifecycle/events.js'
import { ticketDetail, updateTicket } from '../../lifecycle/ticket.js'
import { parseTicketCursor } from '../../store/tickets.js'
import { ApiError } from '../errors.js'
import type { AuthEnv } from '../middleware/auth.js'
import { readJson } from '../validate.js'
import { idParam, lifecycleErrors, ticketFields, type LifecycleRoutesOptions } from './lifecycle.js'

const TicketChanges = v.pipe(
  v.object({
    status: v.optional(v.picklist(TICKET_STATUSES, `must be one of ${TICKET_STATUSES.join(', ')}`)),
    assigneeId: v.optional(
      v.nullable(
        v.pipe(
          v.string('must be an agent id or null'),
          v.check((id: string) => isUuid(id), 'must be an agent id'),
          v.toLowerCase(),
        ),
      ),
    ),
    // Checked by the shared rules (`ticketFields`), which name the field in their own code.
    subject: v.optional(v.unknown()),
    priority: v.optional(v.unknown()),
  }),
  v.check(
    (body) =>
      body.status !== undefined ||
      body.assigneeId !== undefined ||
      body.subject !== undefined ||
      body.priority !== undefined,
    'Give status, assigneeId, subject or priority',
  ),
)

function invalidQuery(message: string): never {
  throw new ApiError(400, 'invalid_query', message)
}

/** Mount at `/tickets` behind `requireSession`. */
export function ticketRoutes(options: LifecycleRoutesOptions | LifecycleDeps): Hono<AuthEnv> {
  const deps = 'transcripts' in options ? options : createLifecycleDeps(options)
  const ticket = (id: string) => idParam(id, 'ticket_not_found', 'ticket')

  return new Hono<AuthEnv>()
    .onError(lifecycleErrors(deps.log))

    .get('/', (c) => {
      const query = c.req.query()
      const status = query.status || undefined
      if (status !== undefined && !isTicketStatus(status)) {
        invalidQuery(`status: must be one of ${TICKET_STATUSES.join(', ')}`)
      }
      const priority = query.priority || undefined
      if (priority !== undefined && !isTicketPriority(priority)) {
        invalidQuery(`priority: must be one of ${TICKET_PRIORITIES.join(', ')}`)
      }
      const sort = query.sort || 'created'
      if (!isTicketSort(sort)) invalidQuery(`sort: must be one of ${TICKET_SORTS.join(', ')}`)
      const filedParam = query.filed || undefined
      if (filedParam !== undefined && filedParam !== 'true' && filedParam !== 'false') {
        invalidQuery("filed: must be 'true' or 'false'")
      }
      const filed = filedParam === undefined ? undefined : filedParam === 'true'
      const assignee = query.assignee || undefined
      let assigneeId: string | null | undefined
      if (assignee === 'me') assigneeId = c.get('actor').id
      else if (assignee === 'none') assigneeId = null
      else if (assignee !== undefined) {
        if (!isUuid(assignee)) invalidQuery("assignee: must be 'me', 'none' or an agent id")
        assigneeId = assignee.toLowerCase()
      }
      const cursor = query.cursor || null
      if (cursor !== null && !parseTicketCursor(cursor, sort)) {
        invalidQuery('cursor: must be the nextCursor of a previous page in the same order')
      }
      const limit = query.limit === undefined ? 50 : Number(query.limit)
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
        invalidQuery('limit: must be a whole number from 1 to 200')
      }
      const q = query.q?.slice(0, 200)
      return c.json(
        deps.tickets.list({ status, priority, assigneeId, filed, q, sort, cursor, limit }),
      )
    })

    .get('/:id', (c) => c.json({ ticket: ticketDetail(deps, ticket(c.req.param('id'))) }))

    .patch('/:id', async (c) => {
      const id = ticket(c.req.param('id'))
      const { status, assigneeId, ...described } = await readJson(c, TicketChanges)
      const changes = { status, assigneeId, ...ticketFields(described) }
      return c.json({ ticket: updateTicket(deps, id, changes, c.get('actor')) })
    })
}
