import { ApiRequestError, apiError, readJson, request, type Fetch } from './http'

/**
 * Calls behind "New conversation" (the templates themselves are in `./conversations`, shared with
 * the thread's composer).
 */

export interface StartedConversation {
  id: string
  /** False when the number already had a live conversation, which is opened instead. */
  created: boolean
}

/** POST /api/conversations: find or open the live conversation with a number (E.164). */
export async function postConversation(
  fetchFn: Fetch,
  phone: string,
  name?: string,
): Promise<StartedConversation> {
  const response = await request(fetchFn, '/api/conversations', {
    method: 'POST',
    json: name ? { phone, name } : { phone },
  })
  if (!response.ok) throw await apiError(response)
  const body = await readJson<{ conversation?: { id?: string } }>(response)
  if (!body?.conversation?.id) throw new ApiRequestError(response.status, 'unexpected', 'No id')
  return { id: body.conversation.id, created: response.status === 201 }
}

/** GET /api/conversations/:id/window: the 24-hour customer service window. */
export async function getServiceWindow(
  fetchFn: Fetch,
  conversationId: string,
): Promise<{ open: boolean; closesAt: number | null }> {
  const response = await request(
    fetchFn,
    `/api/conversations/${encodeURIComponent(conversationId)}/window`,
  )
  if (!response.ok) throw await apiError(response)
  const body = await readJson<{ open?: unknown; closesAt?: unknown }>(response)
  return {
    open: body?.open === true,
    closesAt: typeof body?.closesAt === 'number' ? body.closesAt : null,
  }
}
