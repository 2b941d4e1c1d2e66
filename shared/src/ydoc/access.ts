import type { Actor, Role } from '../model/agent.js'
import { parseDocName, type DocName } from './schema.js'

/**
 * Who may open each kind of document and what a client may write in it: the contract the sync
 * service applies when a socket picks its document (a name whose kind is not declared here, or
 * that the caller's role may not open, is refused as an unknown document, 4404). Writes are then
 * checked update by update against the rules in `rules/update.ts` named in `write`.
 */
export type DocKind = DocName['kind']

export interface DocAccess {
  /** Roles that may open the document: sync it, read it, see and publish presence. */
  open: readonly Role[]
  /**
   * What a client may write. `server-only`: nothing, every change comes from the server
   * (`checkInboxUpdate`); `own-messages`: append `agent` and `note` messages authored by itself, at
   * the end of `messages`, nothing else (`checkConversationUpdate`).
   */
  write: 'server-only' | 'own-messages'
}

export const DOC_ACCESS: Readonly<Record<DocKind, DocAccess>> = {
  inbox: { open: ['agent', 'admin'], write: 'server-only' },
  conversation: { open: ['agent', 'admin'], write: 'own-messages' },
}

/**
 * The parsed document name when `actor` may open it, else null (not a document of ours, a kind
 * without a declaration, or a role that may not open it). Whether the document exists is the
 * server's business.
 */
export function docAccessFor(
  name: string,
  actor: Pick<Actor, 'role'>,
): (DocName & { access: DocAccess }) | null {
  const parsed = parseDocName(name)
  if (!parsed || !Object.hasOwn(DOC_ACCESS, parsed.kind)) return null
  const access = DOC_ACCESS[parsed.kind]
  if (!access.open.includes(actor.role)) return null
  return { ...parsed, access }
}
