/**
 * `/api/notifications`: the signed-in agent's in-app notifications (mentions, transfers,
 * assignments). Read with `GET /`, paged newest first; marked read with `POST /read`; followed live
 * with `GET /stream` (Server-Sent Events), which pushes each new notification and each change of
 * read state, so every tab's bell stays current without polling.
 */
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import * as v from 'valibot'
import { isUuid } from '@atende/shared'
import { watchMentions } from '../../lifecycle/mentions.js'
import type { Logger } from '../../log.js'
import type { Db } from '../../store/db.js'
import {
  createNotificationStore,
  onNotification,
  parseCursor,
  type NotificationEvent,
} from '../../store/notifications.js'
import type { Sessions } from '../../store/sessions.js'
import type { DocManager } from '../../sync/docs.js'
import { ApiError } from '../errors.js'
import type { AuthEnv } from '../middleware/auth.js'

export interface NotificationRoutesOptions {
  db: Db
  docs: Pick<DocManager, 'onLoad'>
  sessions: Pick<Sessions, 'authenticate'>
  log: Logger
  /** Comment line sent this often so proxies and browsers keep an idle stream open. */
  heartbeatMs?: number
  /** How often an open stream re-checks its session (revoked: the stream ends). */
  recheckMs?: number
}

const MarkRead = v.object({
  ids: v.optional(
    v.pipe(
      v.array(v.string(), 'must be a list of notification ids'),
      v.maxLength(500, 'must list at most 500 ids'),
      v.check((ids) => ids.every(isUuid), 'must be a list of notification ids'),
    ),
  ),
})

const openStreams = new Set<() => void>()

/**
 * Ends every open notification stream. For shutdown: `server.close()` waits for responses in
 * flight, and a stream never finishes by itself (browsers reconnect to the next process).
 */
export function closeNotificationStreams(): void {
  for (const stop of openStreams) stop()
}

/** Mount at `/notifications` behind `requireSession`. Starts watching notes for mentions. */
export function notificationRoutes(options: NotificationRoutesOptions): Hono<AuthEnv> {
  const { db, sessions, log } = options
  const store = createNotificationStore(db)
  const heartbeatMs = options.heartbeatMs ?? 25_000
  const recheckMs = options.recheckMs ?? 60_000
  // Mentions are the one kind raised here; transfers and assignments call `notify` themselves.
  watchMentions({ docs: options.docs, db, log: log.child('mentions') })

  return new Hono<AuthEnv>()
    .get('/', (c) => {
      const agentId = c.get('actor').id
      const before = c.req.query('before') || null
      if (before !== null && !parseCursor(before)) {
        throw new ApiError(400, 'invalid_query', 'before: must be a cursor from a previous page')
      }
      const limitText = c.req.query('limit')
      const limit = limitText === undefined ? 30 : Number(limitText)
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
        throw new ApiError(400, 'invalid_query', 'limit: must be a whole number from 1 to 100')
      }
      const page = store.list(agentId, { before, limit })
      return c.json({ ...page, unread: store.unreadCount(agentId) })
    })

    .post('/read', async (c) => {
      const text = await c.req.text()
      let body: unknown = {}
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text)
        } catch {
          throw new ApiError(400, 'malformed_json', 'The request body must be valid JSON')
        }
      }
      const parsed = v.safeParse(MarkRead, body)
      if (!parsed.success) {
        const issue = parsed.issues[0]
        const field = issue ? v.getDotPath(issue) : null
        throw new ApiError(
          400,
          'invalid_body',
          `${field ?? 'body'}: ${issue?.message ?? 'invalid'}`,
        )
      }
      const agentId = c.get('actor').id
      const marked = store.markRead(agentId, parsed.output.ids)
      return c.json({ marked, unread: store.unreadCount(agentId) })
    })

    .get('/stream', (c) => {
      const agentId = c.get('actor').id
      const token = c.get('token')
      c.header('X-Accel-Buffering', 'no')
      return streamSSE(c, async (stream) => {
        let done = false
        let wake: () => void = () => {}
        const stop = () => {
          done = true
          wake()
        }
        // Events are written in order through one chain, so a slow write never reorders them.
        let writing = Promise.resolve()
        const send = (event: string, data: unknown) => {
          writing = writing
            .then(() => stream.writeSSE({ event, data: JSON.stringify(data) }))
            .catch(stop)
        }
        const unsubscribe = onNotification(db, (event: NotificationEvent) => {
          if (event.type === 'created' && event.notification.agentId === agentId) {
            send('notification', event.notification)
          } else if (event.type === 'read' && event.agentId === agentId) {
            send('read', { ids: event.ids, at: event.at })
          }
        })
        stream.onAbort(stop)
        openStreams.add(stop)
        send('ready', { unread: store.unreadCount(agentId) })

        let sinceRecheck = 0
        while (!done && !stream.aborted && !stream.closed) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, heartbeatMs)
            wake = () => {
              clearTimeout(timer)
              resolve()
            }
          })
          if (done) break
          sinceRecheck += heartbeatMs
          if (sinceRecheck >= recheckMs) {
            sinceRecheck = 0
            if (sessions.authenticate(token)?.id !== agentId) break
          }
          writing = writing.then(() => stream.write(': keep-alive\n\n')).then(() => undefined, stop)
          await writing
        }
        unsubscribe()
        openStreams.delete(stop)
        await writing
      })
    })
}
