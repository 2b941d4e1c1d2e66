/**
 * Deleting a conversation for good: its document, its row, its events and its ticket (with any
 * transcript) go in one SQLite transaction; nothing is kept. Closing is the way to keep a history.
 *
 * Who may: an admin, or the agent the conversation is assigned to (an unassigned conversation,
 * admins only). Deleting destroys what the team may need later, so it is not for any agent.
 * Report figures already recorded are kept (they live in their own tables).
 */
import { readMeta, type Actor } from '@atende/shared'
import { removeFromInbox } from './close.js'
import { LifecycleError, liveConversation, type LifecycleDeps } from './events.js'

export function mayDelete(actor: Actor, assigneeId: string | null): boolean {
  return actor.role === 'admin' || (assigneeId !== null && assigneeId === actor.id)
}

export function deleteConversation(
  deps: LifecycleDeps,
  conversationId: string,
  actor: Actor,
): { ticketId: string | null } {
  const { conversation, shared } = liveConversation(deps, conversationId)
  if (!mayDelete(actor, readMeta(shared.doc).assigneeId ?? null)) {
    throw new LifecycleError(
      'forbidden',
      'Only an admin or the agent the conversation is assigned to can delete it',
    )
  }
  const docName = shared.name.name
  const result = deps.transcripts.purge(conversation.id, docName)
  // Committed; the rest is derived state (a card left by a crash goes at the next start).
  deps.docs.remove(docName)
  try {
    removeFromInbox(deps.docs, conversation.id)
  } catch (err) {
    deps.log.error('removing a deleted conversation from the inbox failed; fixed at next start', {
      conversationId: conversation.id,
      err,
    })
  }
  deps.log.info('conversation deleted', { conversationId: conversation.id, by: actor.id })
  return result
}
