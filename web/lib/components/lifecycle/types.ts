import type { Actor } from '@atende/shared'

/**
 * What the lifecycle components need to know of a conversation: its `meta` from the doc
 * (`Partial<ConversationMeta>`) fits, and so does its inbox card. `ticketId` undefined means not
 * known yet (the doc is loading, or only the card is at hand); null means no ticket.
 */
export interface LifecycleMeta {
  contactId?: string
  contactName?: string
  phone?: string
  assigneeId?: string | null
  ticketId?: string | null
  lastCustomerMessageAt?: number | null
}

/** The signed-in agent. */
export type LifecycleMe = Actor & { name?: string }

/** Who may delete a conversation: admins, and its assignee (the server enforces the same rule). */
export function mayDelete(meta: LifecycleMeta, me: LifecycleMe): boolean {
  return me.role === 'admin' || (!!meta.assigneeId && meta.assigneeId === me.id)
}
