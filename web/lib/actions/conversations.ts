import { isServiceWindowOpen, type InboxSummary } from '@atende/shared'
import { getTemplates, postTemplate, type MessageTemplate } from '$lib/api/conversations'
import {
  getServiceWindow,
  postConversation,
  type StartedConversation,
} from '$lib/api/new-conversation'

/** E.164 as the server checks it: a plus, a non-zero digit, 7 to 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/

/**
 * A number as typed ("+55 (11) 98765-4321", "0055 11 …") in E.164 ("+5511987654321"), or null
 * when it is not a number in international format.
 */
export function toE164(typed: string): string | null {
  let text = typed.trim().replace(/[\s().-]/g, '')
  if (text.startsWith('00')) text = '+' + text.slice(2)
  return E164.test(text) ? text : null
}

export interface StartConversationResult extends StartedConversation {
  /** Whether free text may be sent now; false means only a template (new conversations: always). */
  windowOpen: boolean
}

/**
 * "New conversation": finds or opens the live conversation with a number (POST /api/conversations)
 * and says whether its 24-hour window is open. A conversation just created never is; for one that
 * existed, the inbox card answers when it is here, else the server.
 */
export async function startConversation(
  phone: string,
  name: string | undefined,
  known: (id: string) => InboxSummary | undefined,
): Promise<StartConversationResult> {
  const started = await postConversation(fetch, phone, name?.trim() || undefined)
  if (started.created) return { ...started, windowOpen: false }
  const card = known(started.id)
  if (card)
    return { ...started, windowOpen: isServiceWindowOpen(card.lastCustomerMessageAt, Date.now()) }
  try {
    return { ...started, windowOpen: (await getServiceWindow(fetch, started.id)).open }
  } catch {
    return { ...started, windowOpen: false }
  }
}

/** The approved templates an agent may send (GET /api/templates). */
export function loadTemplates(): Promise<MessageTemplate[]> {
  return getTemplates(fetch)
}

/** Sends a template to the customer: the way to open a conversation outside the window. */
export function sendTemplate(
  conversationId: string,
  template: { name: string; language: string; params: string[] },
): Promise<void> {
  return postTemplate(fetch, conversationId, template)
}
