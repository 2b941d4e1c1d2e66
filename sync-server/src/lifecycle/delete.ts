/**
 * Deleting a conversation for good: everything of it goes, in one SQLite transaction
 * (`transcripts.purge`): its document, its row, its events, its ticket (with any transcript), the
 * rows of its customer media and agent attachments, its outbox rows, and the delivery statuses and
 * reactions of its WhatsApp messages. Closing is the way to keep a history.
 *
 * What stays, on purpose: the contact (shared with the customer's other conversations and
 * tickets), report figures already recorded (their own tables), and a tombstone per WhatsApp
 * message id (the wamid and its direction, pointing to nothing) so that Meta redelivering an old
 * webhook neither brings a deleted message back nor opens a new conversation with it.
 *
 * After the commit the media files are unlinked; one that cannot be is logged (by media id, never
 * by path) and removed by the media sweep at the next start, which also takes files and rows an
 * upload or download still in flight left behind (the download itself checks its row is still
 * there before keeping its file). A send in flight finds its outbox row gone and the document
 * unknown: it records nothing.
 *
 * Who may: an admin, or the agent the conversation is assigned to (an unassigned conversation,
 * admins only). Deleting destroys what the team may need later, so it is not for any agent.
 */
import { conversationParts, readMessages, readMeta, type Actor, type Receipt } from '@atende/shared'
import type * as Y from 'yjs'
import { unlinkMediaFiles } from '../store/media.js'
import type { KnownWamid } from '../store/wa-messages.js'
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
  const { ticketId, files } = deps.transcripts.purge(conversation.id, docName, wamidsOf(shared.doc))
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
  const { removed, failed } = unlinkMediaFiles(files)
  if (failed.length > 0) {
    deps.log.error('media files of a deleted conversation not removed; retried at next start', {
      conversationId: conversation.id,
      files: failed,
    })
  }
  deps.log.info('conversation deleted', {
    conversationId: conversation.id,
    by: actor.id,
    files: removed,
  })
  return { ticketId }
}

/** The wamids the document names: its customer messages' and its sends' (from their receipts). */
function wamidsOf(doc: Y.Doc): KnownWamid[] {
  const known: KnownWamid[] = []
  for (const message of readMessages(doc)) {
    if (message.kind === 'customer' && message.waMessageId) {
      known.push({ wamid: message.waMessageId, direction: 'in' })
    }
  }
  for (const receipt of conversationParts(doc).receipts.values()) {
    const wamid = (receipt as Partial<Receipt> | null)?.waMessageId
    if (typeof wamid === 'string' && wamid) known.push({ wamid, direction: 'out' })
  }
  return known
}
