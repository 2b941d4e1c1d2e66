import type { ConversationEventType } from '@atende/shared'
import type { Dictionary } from '$lib/i18n'

/**
 * An event in the reader's language, from its fields (the stored `text` is English). `name` turns
 * an agent id into a name.
 */
export function eventLabel(
  m: Dictionary,
  event: {
    type: ConversationEventType
    actorId: string | null
    agentId: string | null
    status: string | null
    fromPhone?: string
    toPhone?: string
  },
  name: (id: string | null) => string,
): string {
  const words = m.tickets.event
  const actor = name(event.actorId)
  switch (event.type) {
    case 'assigned':
      return words.assigned(actor, name(event.agentId))
    case 'transferred':
      return words.transferred(actor, name(event.agentId))
    case 'status_changed':
      return words.status_changed(actor, statusLabel(m, event.status))
    case 'number_changed':
      return numberChangedLabel(m, event)
    default:
      return words[event.type](actor)
  }
}

/** A ticket status in the reader's language (unknown values as they are). */
export function statusLabel(m: Dictionary, status: string | null): string {
  const statuses: Record<string, string> = m.tickets.statuses
  return status === null ? '' : (statuses[status] ?? status)
}

/** A customer's number change, in the reader's language. */
export function numberChangedLabel(
  m: Dictionary,
  event: { fromPhone?: string; toPhone?: string },
): string {
  return event.fromPhone && event.toPhone
    ? m.message.numberChanged(event.fromPhone, event.toPhone)
    : m.message.numberChangedPlain
}
