import { getConversationTicket, getTicket } from '$lib/api/tickets'
import type { ConversationState } from '$lib/state/conversation.svelte'
import { outbox } from '$lib/sync/outbox.svelte'

/**
 * Writes the server will never take (see `outbox.giveUp`): what the agent can do about them. The
 * texts stay in the conversation's local copy until the agent dismisses them.
 */

/**
 * Works out why a removed conversation took none of this device's writes: closed (and filed in
 * which ticket) or deleted. The socket only says "gone"; the conversation's ticket tells the two
 * apart, since closing always files into one and deleting takes it away. A write the server had
 * taken just before the close was filed with the rest: it is no longer counted as undelivered.
 * Offline or on an API error it stays "gone" and is asked again next time.
 */
export async function explainUndelivered(conversation: ConversationState): Promise<void> {
  const docName = conversation.docName
  if (outbox.undeliveredOf(docName)?.reason !== 'gone') return
  const ticket = await getConversationTicket(fetch, conversation.id)
  if (!ticket) {
    outbox.explain(docName, { reason: 'deleted' })
    return
  }
  outbox.explain(docName, { reason: 'closed', ticketNumber: ticket.number })
  const detail = await getTicket(fetch, ticket.id)
  if (detail)
    outbox.delivered(
      docName,
      detail.messages.map((message) => message.id),
    )
}

/**
 * The agent is done with a conversation's undelivered writes (copied, or not needed): they are
 * forgotten and the local copy that held them is dropped. A conversation still live (a refused
 * write) is then read afresh from the server; a removed one is not reopened.
 */
export async function dismissUndelivered(conversation: ConversationState): Promise<void> {
  const reopen = !conversation.gone
  outbox.dismiss(conversation.docName)
  await conversation.discardLocalCopy(reopen)
}

/** Puts text on the clipboard (an undelivered message, to send it some other way). */
export function copyText(text: string): Promise<void> {
  return navigator.clipboard.writeText(text)
}
