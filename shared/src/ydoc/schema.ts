import * as Y from 'yjs'
import { isUuid, type ConversationId } from '../model/ids.js'

/**
 * The document contract. Root keys are constants so neither side spells them by hand.
 *
 * `inbox`: `Y.Map 'conversations'`, conversation id -> InboxSummary (a plain object, replaced on change).
 * `conversation:<uuid>`:
 *   - `Y.Map 'meta'`: ConversationMeta fields, one key each (server only);
 *   - `Y.Array 'messages'`: Message objects, immutable, appended;
 *   - `Y.Map 'receipts'`: message id -> Receipt (server only);
 *   - `Y.Map 'reactions'`: `<messageId>|<reactor>` -> { messageId, emoji, by, at } (server only);
 *   - `Y.Map 'media'`: media id -> MediaEntry (server only);
 *   - `Y.Map 'amendments'`: message id -> MessageAmendment, the customer's edits and deletion of
 *     that message (server only; clients may write nothing but new messages).
 */
export const INBOX_DOC = 'inbox'

/** Where the server's copy of a file stands, in a conversation's `media` map. */
export interface MediaEntry {
  status: 'pending' | 'ready' | 'failed'
  /** Why the last download failed (while retries remain, or for good). */
  error?: string
  /**
   * A customer's file whose content does not match its declared type (a `MediaMismatchReason`,
   * e.g. 'markup'): kept, but offered only as a download, never previewed or played.
   */
  mismatch?: string
}
export const CONVERSATION_DOC_PREFIX = 'conversation:'

export const INBOX_KEYS = { conversations: 'conversations' } as const
export const CONVERSATION_KEYS = {
  meta: 'meta',
  messages: 'messages',
  receipts: 'receipts',
  reactions: 'reactions',
  media: 'media',
  amendments: 'amendments',
} as const

/** Transaction origins, so observers can tell who wrote. */
export const ORIGIN = { local: 'local', server: 'server', whatsapp: 'whatsapp' } as const
export type Origin = (typeof ORIGIN)[keyof typeof ORIGIN]

export type DocName =
  | { kind: 'inbox'; name: typeof INBOX_DOC }
  | { kind: 'conversation'; name: string; conversationId: ConversationId }

/** Parses a document name; null for anything that is not a document of ours. */
export function parseDocName(name: string): DocName | null {
  if (name === INBOX_DOC) return { kind: 'inbox', name }
  if (name.startsWith(CONVERSATION_DOC_PREFIX)) {
    const id = name.slice(CONVERSATION_DOC_PREFIX.length)
    // Lowercase only, so one conversation has exactly one document name.
    if (isUuid(id) && id === id.toLowerCase()) {
      return { kind: 'conversation', name, conversationId: id as ConversationId }
    }
  }
  return null
}

export function conversationDocName(id: ConversationId | string): string {
  return CONVERSATION_DOC_PREFIX + id
}

export function inboxMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(INBOX_KEYS.conversations)
}

export function conversationParts(doc: Y.Doc) {
  return {
    meta: doc.getMap<unknown>(CONVERSATION_KEYS.meta),
    messages: doc.getArray<unknown>(CONVERSATION_KEYS.messages),
    receipts: doc.getMap<unknown>(CONVERSATION_KEYS.receipts),
    reactions: doc.getMap<unknown>(CONVERSATION_KEYS.reactions),
    media: doc.getMap<unknown>(CONVERSATION_KEYS.media),
    amendments: doc.getMap<unknown>(CONVERSATION_KEYS.amendments),
  }
}
