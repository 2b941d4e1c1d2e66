/**
 * Assignment and transfer. The assignee lives in three places kept in step: the conversation's
 * `meta.assigneeId`, its inbox card, and its ticket while the ticket is not filed. Each change is
 * an event (stored, and shown in the thread) and the new assignee is notified.
 */
import {
  ORIGIN,
  readMeta,
  writeMeta,
  type Actor,
  type AgentId,
  type ConversationEvent,
} from '@atende/shared'
import { notify } from '../store/notifications.js'
import { updateInboxEntry } from './inbox.js'
import {
  agentName,
  appendEvent,
  LifecycleError,
  liveConversation,
  newEvent,
  type LifecycleDeps,
} from './events.js'

export type AssignMode = 'assign' | 'transfer'

/** Throws `agent_not_found` unless the id names an active agent. */
export function requireActiveAgent(deps: Pick<LifecycleDeps, 'accounts'>, agentId: string): void {
  const agent = deps.accounts.get(agentId)
  if (!agent || !agent.active)
    throw new LifecycleError('agent_not_found', 'No active agent with this id')
}

function summary(
  deps: LifecycleDeps,
  mode: AssignMode,
  actor: Actor,
  agentId: string | null,
): { type: ConversationEvent['type']; text: string } {
  const who = agentName(deps, actor.id)
  if (mode === 'transfer') {
    return {
      type: 'transferred',
      text: `${who} transferred the conversation to ${agentName(deps, agentId)}`,
    }
  }
  if (agentId === null) return { type: 'unassigned', text: `${who} unassigned the conversation` }
  if (agentId === actor.id) return { type: 'assigned', text: `${who} took the conversation` }
  return {
    type: 'assigned',
    text: `${who} assigned the conversation to ${agentName(deps, agentId)}`,
  }
}

/**
 * Assigns a live conversation to an agent (or nobody) or transfers it to another agent; any
 * signed-in agent may. Giving it to the agent it already has changes nothing and records nothing.
 */
export function assignConversation(
  deps: LifecycleDeps,
  conversationId: string,
  agentId: string | null,
  actor: Actor,
  mode: AssignMode,
  now = Date.now(),
): { assigneeId: string | null; event: ConversationEvent | null } {
  const { shared } = liveConversation(deps, conversationId)
  if (agentId !== null) requireActiveAgent(deps, agentId)
  const ticket = deps.tickets.forConversation(conversationId)
  const ticketFollows = ticket && ticket.filedAt === null && ticket.assigneeId !== agentId
  const current = readMeta(shared.doc).assigneeId ?? null
  if (current === agentId) {
    if (ticketFollows) deps.tickets.update(ticket.id, { assigneeId: agentId }, now)
    return { assigneeId: current, event: null }
  }

  const event = newEvent({
    conversationId,
    ticketId: ticket?.id ?? null,
    actorId: actor.id,
    agentId,
    now,
    ...summary(deps, mode, actor, agentId),
  })
  deps.db.transaction(() => {
    deps.events.insert(event)
    if (ticketFollows) deps.tickets.update(ticket.id, { assigneeId: agentId }, now)
  })()
  appendEvent(shared, event, (doc) =>
    writeMeta(doc, { assigneeId: agentId as AgentId | null }, ORIGIN.server),
  )
  updateInboxEntry(deps.docs, conversationId, (card) =>
    card.assigneeId === agentId ? card : { ...card, assigneeId: agentId as AgentId | null },
  )
  if (agentId !== null) {
    try {
      notify(deps.db, {
        agentId,
        kind: mode === 'transfer' ? 'transfer' : 'assigned',
        conversationId,
        actorId: actor.id,
        messageId: event.id,
      })
    } catch (err) {
      // The assignment stands; a lost notification is no reason to fail it.
      deps.log.error('notifying the new assignee failed', { conversationId, err })
    }
  }
  deps.log.info('conversation assigned', { conversationId, mode, agentId, by: actor.id })
  return { assigneeId: agentId, event }
}
