import {
  appendMessage,
  conversationDocName,
  ORIGIN,
  type AgentMessage,
  type Message,
} from '@atende/shared'
import { ApiError } from '../../http/errors.js'
import { UnknownDocument, type DocManager } from '../../sync/docs.js'
import type { SharedDoc } from '../../sync/shared-doc.js'
import { findMessage } from './payload.js'

/** The conversation's loaded doc, or a 404 for an id that is no conversation of ours. */
export function conversationDoc(docs: Pick<DocManager, 'get'>, conversationId: string): SharedDoc {
  try {
    return docs.get(conversationDocName(conversationId.toLowerCase()))
  } catch (err) {
    if (err instanceof UnknownDocument) {
      throw new ApiError(404, 'conversation_not_found', 'There is no such conversation')
    }
    throw err
  }
}

/** The conversation id of a conversation doc. */
export function conversationIdOf(shared: SharedDoc): string {
  return shared.name.kind === 'conversation' ? shared.name.conversationId : ''
}

/** The agent message with that id, when the same agent wrote it; else 409 (the id is taken). */
export function existingAgentMessage(shared: SharedDoc, id: string, authorId: string): Message {
  const existing = findMessage(shared.doc, id)
  if (existing?.kind !== 'agent' || existing.authorId !== authorId) {
    throw new ApiError(409, 'message_exists', 'Another message has that id')
  }
  return existing
}

/**
 * Appends an agent message written by the server (origin 'server'), unless one with that id is
 * there already (a client retrying the same request). Returns the message in the doc.
 */
export function appendAgentMessage(
  shared: SharedDoc,
  message: AgentMessage,
  extra?: (doc: SharedDoc['doc']) => void,
): { message: Message; created: boolean } {
  if (shared.messageIds.has(message.id)) {
    return { message: existingAgentMessage(shared, message.id, message.authorId), created: false }
  }
  shared.transact((doc) => {
    extra?.(doc)
    appendMessage(doc, message, ORIGIN.server)
  }, ORIGIN.server)
  return { message, created: true }
}
