/**
 * `/api/conversations/:id/…`: the server-side actions on a live conversation. Ticket, close,
 * assign and transfer are open to every signed-in agent; delete to admins and the assignee.
 *
 *   POST   /:id/ticket    { subject?, priority? } or no body: create the ticket (201), or answer
 *                         the one it has (200)
 *   GET    /:id/ticket    the conversation's ticket, 404 when it has none
 *   POST   /:id/close     { ticket?: 'resolve' | 'keep' }: file the history into the ticket
 *                          (an open one resolved, by default, or kept), delete the live doc
 *                          → { ticketId, ticketNumber, filed }
 *   DELETE /:id           delete the conversation and its history for good
 *   POST   /:id/assign    { agentId: uuid | null }
 *   POST   /:id/transfer  { agentId: uuid }
 *   GET    /:id/events    the conversation's events, oldest first (closed ones too)
 */
import { Hono, type ErrorHandler } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import * as v from 'valibot'
import { CLOSE_TICKET_CHOICES, isUuid, parseTicketFields, type TicketFields } from '@atende/shared'
import { assignConversation } from '../../lifecycle/assign.js'
import { closeConversation } from '../../lifecycle/close.js'
import { deleteConversation } from '../../lifecycle/delete.js'
import {
  createLifecycleDeps,
  LifecycleError,
  type LifecycleDeps,
  type LifecycleErrorCode,
} from '../../lifecycle/events.js'
import { createTicket } from '../../lifecycle/ticket.js'
import type { Logger } from '../../log.js'
import type { AuditLog } from '../../store/audit.js'
import type { Db } from '../../store/db.js'
import { ConversationNotLive } from '../../store/transcripts.js'
import type { DocManager } from '../../sync/docs.js'
import { ApiError, errorResponse, handleError } from '../errors.js'
import type { AuthEnv } from '../middleware/auth.js'
import { readJson, readOptionalJson } from '../validate.js'

export interface LifecycleRoutesOptions {
  db: Db
  docs: DocManager
  log: Logger
  /** Records deletions: the conversation's own records go with it. */
  audit?: AuditLog
}

const STATUS: Record<LifecycleErrorCode, ContentfulStatusCode> = {
  conversation_not_found: 404,
  ticket_not_found: 404,
  agent_not_found: 404,
  contact_not_found: 404,
  contact_exists: 409,
  forbidden: 403,
}

/** `onError` of the lifecycle sub-apps: typed lifecycle errors keep their status, the rest as usual. */
export function lifecycleErrors(log: Logger): ErrorHandler {
  const fallback = handleError(log)
  return (err, c) => {
    if (err instanceof LifecycleError) {
      return errorResponse(c, { status: STATUS[err.code], code: err.code, message: err.message })
    }
    if (err instanceof ConversationNotLive) {
      return errorResponse(c, { status: 404, code: err.code, message: err.message })
    }
    return fallback(err, c)
  }
}

/** The lower-cased id from the path, or a 404 for anything that is not a uuid. */
export function idParam(value: string, code: LifecycleErrorCode, what: string): string {
  if (!isUuid(value)) throw new ApiError(404, code, `There is no such ${what}`)
  return value.toLowerCase()
}

/** A ticket's subject and priority from a body, or a 400 naming the field that is wrong. */
export function ticketFields(body: Record<string, unknown>): TicketFields {
  const parsed = parseTicketFields(body)
  if (!parsed.ok) throw new ApiError(400, parsed.code, parsed.message)
  return parsed.fields
}

const AgentId = v.pipe(
  v.string('must be an agent id'),
  v.check((id: string) => isUuid(id), 'must be an agent id'),
  v.toLowerCase(),
)
const AssignBody = v.object({ agentId: v.nullable(AgentId) })
const TransferBody = v.object({ agentId: AgentId })
const CloseBody = v.object({
  ticket: v.optional(v.picklist(CLOSE_TICKET_CHOICES, "must be 'resolve' or 'keep'"), 'resolve'),
})

/** Mount at `/conversations` behind `requireSession`. */
export function lifecycleRoutes(options: LifecycleRoutesOptions | LifecycleDeps): Hono<AuthEnv> {
  const deps = 'transcripts' in options ? options : createLifecycleDeps(options)
  const audit = 'audit' in options ? options.audit : undefined
  const conversation = (id: string) => idParam(id, 'conversation_not_found', 'conversation')

  return new Hono<AuthEnv>()
    .onError(lifecycleErrors(deps.log))

    .post('/:id/ticket', async (c) => {
      const id = conversation(c.req.param('id'))
      const fields = ticketFields(await readOptionalJson(c))
      const { ticket, created } = createTicket(deps, id, c.get('actor'), fields)
      return c.json({ ticket }, created ? 201 : 200)
    })

    .get('/:id/ticket', (c) => {
      const ticket = deps.tickets.forConversation(conversation(c.req.param('id')))
      if (!ticket) throw new LifecycleError('ticket_not_found', 'This conversation has no ticket')
      return c.json({ ticket })
    })

    .post('/:id/close', async (c) => {
      const id = conversation(c.req.param('id'))
      // No body at all is the default choice (older clients send none).
      const choice = (await c.req.text()).trim() ? (await readJson(c, CloseBody)).ticket : 'resolve'
      const { ticket, filed } = closeConversation(deps, id, c.get('actor'), { ticket: choice })
      return c.json({ ticketId: ticket.id, ticketNumber: ticket.number, filed })
    })

    .delete('/:id', (c) => {
      const id = conversation(c.req.param('id'))
      const { ticketId } = deleteConversation(deps, id, c.get('actor'))
      // Only ids: what the conversation said, and who with, is gone on purpose.
      audit?.record(c.get('actor'), 'conversation.delete', id, { ticketId })
      return c.json({ deleted: true, ticketId })
    })

    .post('/:id/assign', async (c) => {
      const id = conversation(c.req.param('id'))
      const { agentId } = await readJson(c, AssignBody)
      const result = assignConversation(deps, id, agentId, c.get('actor'), 'assign')
      return c.json({ assigneeId: result.assigneeId, event: result.event })
    })

    .post('/:id/transfer', async (c) => {
      const id = conversation(c.req.param('id'))
      const { agentId } = await readJson(c, TransferBody)
      const result = assignConversation(deps, id, agentId, c.get('actor'), 'transfer')
      return c.json({ assigneeId: result.assigneeId, event: result.event })
    })

    .get('/:id/events', (c) => {
      const id = conversation(c.req.param('id'))
      if (!deps.conversations.get(id)) {
        throw new LifecycleError('conversation_not_found', 'There is no such conversation')
      }
      return c.json({ events: deps.events.forConversation(id) })
    })
}
