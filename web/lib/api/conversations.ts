import type { Agent } from '@atende/shared'
import { apiError, readJson, request, type Fetch } from './http'

/**
 * The conversation API the thread uses. The doc carries the conversation itself; these calls are
 * server actions (mark seen, retry a send, templates) and reads the doc does not hold (the team).
 */

/** GET /api/agents: everyone who can write in a thread (names for authors and @mentions). */
export async function getAgents(fetchFn: Fetch): Promise<Agent[] | null> {
  const response = await request(fetchFn, '/api/agents')
  if (!response.ok) return null
  return (await readJson<{ agents?: Agent[] }>(response))?.agents ?? null
}

/** POST /api/conversations/:id/seen: unread back to zero, read receipt to the customer. */
export async function postSeen(fetchFn: Fetch, conversationId: string): Promise<boolean> {
  const response = await request(fetchFn, `/api/conversations/${conversationId}/seen`, {
    method: 'POST',
  })
  return response.ok
}

/**
 * POST /api/conversations/:id/messages/:messageId/retry (a failed or unknown send). An `unknown`
 * outcome needs `confirm`: the agent accepted that the customer may get the message twice.
 */
export async function postRetry(
  fetchFn: Fetch,
  conversationId: string,
  messageId: string,
  options: { confirm?: boolean } = {},
): Promise<void> {
  const response = await request(
    fetchFn,
    `/api/conversations/${conversationId}/messages/${messageId}/retry`,
    { method: 'POST', json: { confirm: options.confirm ?? false } },
  )
  if (!response.ok) throw await apiError(response)
}

/** A WhatsApp message template the business may send outside the 24-hour window. */
export interface MessageTemplate {
  name: string
  language: string
  /** The body with `{{1}}`-style placeholders, when the server knows it. */
  body?: string
  /** How many parameters the body takes (placeholders). */
  params: number
}

interface RawTemplate {
  name?: unknown
  language?: unknown
  body?: unknown
  text?: unknown
  params?: unknown
  paramCount?: unknown
}

/** Counts `{{n}}` placeholders: the number of parameters a template body takes. */
export function countPlaceholders(body: string): number {
  let highest = 0
  for (const match of body.matchAll(/\{\{\s*(\d+)\s*\}\}/g))
    highest = Math.max(highest, Number(match[1]))
  return highest
}

/** GET /api/templates, read leniently (the list is the outbound side's, and may grow fields). */
export async function getTemplates(fetchFn: Fetch): Promise<MessageTemplate[]> {
  const response = await request(fetchFn, '/api/templates')
  if (!response.ok) throw await apiError(response)
  const body = await readJson<{ templates?: RawTemplate[] } | RawTemplate[]>(response)
  const list = Array.isArray(body) ? body : (body?.templates ?? [])
  return list.flatMap((raw) => {
    if (typeof raw.name !== 'string' || typeof raw.language !== 'string') return []
    const text =
      typeof raw.body === 'string' ? raw.body : typeof raw.text === 'string' ? raw.text : undefined
    const params =
      typeof raw.params === 'number'
        ? raw.params
        : Array.isArray(raw.params)
          ? raw.params.length
          : typeof raw.paramCount === 'number'
            ? raw.paramCount
            : text
              ? countPlaceholders(text)
              : 0
    return [{ name: raw.name, language: raw.language, body: text, params }]
  })
}

/** POST /api/conversations/:id/template: the server sends it and appends it to the thread. */
export async function postTemplate(
  fetchFn: Fetch,
  conversationId: string,
  template: { name: string; language: string; params: string[]; clientMessageId?: string },
): Promise<void> {
  const response = await request(fetchFn, `/api/conversations/${conversationId}/template`, {
    method: 'POST',
    json: template,
  })
  if (!response.ok) throw await apiError(response)
}
