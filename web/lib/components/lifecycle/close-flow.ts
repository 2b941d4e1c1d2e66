import type { CloseTicketChoice } from '@atende/shared'
import { goto } from '$app/navigation'
import { resolve } from '$app/paths'
import { closeConversation } from '$lib/actions/lifecycle'
import { handleError } from '$lib/errors'
import { i18n } from '$lib/i18n'
import { toasts } from '$lib/state/toasts.svelte'

/**
 * Closes the conversation and tells the agent where its history went; then `onDone` (default:
 * back to the inbox, since the conversation has left it). An open ticket is resolved unless
 * `ticket` is `keep`. Returns whether it closed.
 */
export async function closeAndLeave(
  conversationId: string,
  onDone?: () => void,
  ticket: CloseTicketChoice = 'resolve',
): Promise<boolean> {
  try {
    const { ticketNumber } = await closeConversation(conversationId, ticket)
    toasts.show(i18n.m.lifecycle.closed(ticketNumber))
  } catch (error) {
    handleError(error, i18n.m.lifecycle.closeFailed)
    return false
  }
  if (onDone) onDone()
  else await goto(resolve('/inbox'))
  return true
}
