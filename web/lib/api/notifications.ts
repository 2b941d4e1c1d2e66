import { readJson, request, type Fetch } from './http'

export type NotificationKind = 'mention' | 'transfer' | 'assigned' | 'sign_in_failures'

/** An in-app notification, as `/api/notifications` returns it. */
export interface AppNotification {
  id: string
  agentId: string
  kind: NotificationKind
  /** The conversation it is about; null for `sign_in_failures`. */
  conversationId: string | null
  /** `sign_in_failures`: the agent whose sign-ins kept failing. */
  accountId: string | null
  actorId: string | null
  messageId: string | null
  createdAt: number
  readAt: number | null
}

export interface NotificationPage {
  notifications: AppNotification[]
  /** Cursor of the next (older) page, or null. */
  next: string | null
  unread: number
}

/** The live stream of the signed-in agent's notifications (Server-Sent Events). */
export const NOTIFICATION_STREAM_PATH = '/api/notifications/stream'

/** GET /api/notifications, newest first. Throws on failure (the caller keeps what it has). */
export async function getNotifications(
  fetchFn: Fetch,
  options: { before?: string | null; limit?: number } = {},
): Promise<NotificationPage> {
  const query = new URLSearchParams()
  if (options.before) query.set('before', options.before)
  if (options.limit) query.set('limit', String(options.limit))
  const search = query.size > 0 ? `?${query}` : ''
  const response = await request(fetchFn, `/api/notifications${search}`)
  if (!response.ok) throw new Error(`GET /api/notifications: ${response.status}`)
  const body = await readJson<NotificationPage>(response)
  if (!body) throw new Error('GET /api/notifications: not JSON')
  return body
}

/** POST /api/notifications/read: marks these (or, with no ids, all) read. */
export async function postNotificationsRead(fetchFn: Fetch, ids?: string[]): Promise<number> {
  const response = await request(fetchFn, '/api/notifications/read', {
    method: 'POST',
    json: ids ? { ids } : {},
  })
  if (!response.ok) throw new Error(`POST /api/notifications/read: ${response.status}`)
  return (await readJson<{ unread?: number }>(response))?.unread ?? 0
}
