import {
  getNotifications,
  NOTIFICATION_STREAM_PATH,
  postNotificationsRead,
  type AppNotification,
} from '$lib/api/notifications'

const POLL_MS = 15_000
const PAGE_SIZE = 30

/**
 * The signed-in agent's in-app notifications (mentions, transfers) and the bell's unread count.
 *
 * Live by Server-Sent Events (`/api/notifications/stream`): each new notification and each change
 * of read state (from this tab or another) is pushed. When the stream cannot be opened or drops,
 * the list is polled every 15 s until it is back; every (re)connection refetches the first page,
 * so nothing said while disconnected is missed. A hidden tab closes its stream and polls instead:
 * browsers allow about six HTTP/1.1 connections per server, and a stream per open tab would use
 * them up (HTTP/2 lifts this, but a plain local install may not have it).
 */
export class NotificationCenter {
  /** Newest first: the first page, plus older pages the agent asked for. */
  items = $state.raw<AppNotification[]>([])
  unread = $state(0)
  /** Cursor of the next older page, or null when everything is loaded. */
  next = $state<string | null>(null)
  loaded = $state(false)
  /** True while the live stream is open (else the list is polled). */
  live = $state(false)

  #source: EventSource | null = null
  #poll: ReturnType<typeof setInterval> | undefined
  #destroyed = false

  /** Loads the first page and starts following the stream. */
  start(): void {
    void this.refresh()
    this.#connect()
    this.#poll = setInterval(() => {
      if (!this.live) void this.refresh()
    }, POLL_MS)
    window.addEventListener('online', this.#onOnline)
    document.addEventListener('visibilitychange', this.#onVisibility)
  }

  destroy(): void {
    this.#destroyed = true
    clearInterval(this.#poll)
    window.removeEventListener('online', this.#onOnline)
    document.removeEventListener('visibilitychange', this.#onVisibility)
    this.#source?.close()
    this.#source = null
  }

  /** Re-reads the first page (the older pages already shown are kept when they still follow on). */
  async refresh(): Promise<void> {
    // Notifications the stream brings while the page is being fetched may be newer than the page:
    // they are kept on top of it rather than overwritten by it.
    const streamed: AppNotification[] = []
    this.#duringRefresh.add(streamed)
    try {
      const page = await getNotifications(fetch, { limit: PAGE_SIZE })
      if (this.#destroyed) return
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
      const inPage = new Set(page.notifications.map((n) => n.id))
      const newer = streamed.filter((n) => !inPage.has(n.id))
      // Older pages the agent already loaded stay, below the fresh first page.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
      const firstIds = new Set(page.notifications.map((n) => n.id))
      const last = page.notifications.at(-1)
      const older =
        page.next && last
          ? this.items.filter(
              (n) =>
                !firstIds.has(n.id) &&
                (n.createdAt < last.createdAt ||
                  (n.createdAt === last.createdAt && n.id < last.id)),
            )
          : []
      this.items = [...newer, ...page.notifications, ...older]
      this.next = older.length > 0 ? this.next : page.next
      this.unread = page.unread + newer.filter((n) => n.readAt === null).length
      this.loaded = true
    } catch {
      // Offline or signed out: keep what is shown; the next poll or stream event tries again.
    } finally {
      this.#duringRefresh.delete(streamed)
    }
  }

  /** Lists collecting what the stream delivers while a refresh is in flight. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never rendered
  #duringRefresh = new Set<AppNotification[]>()

  async loadMore(): Promise<void> {
    if (!this.next) return
    try {
      const page = await getNotifications(fetch, { before: this.next, limit: PAGE_SIZE })
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
      const known = new Set(this.items.map((n) => n.id))
      this.items = [...this.items, ...page.notifications.filter((n) => !known.has(n.id))]
      this.next = page.next
      this.unread = page.unread
    } catch {
      // Kept as is; the button stays to try again.
    }
  }

  /** Marks these notifications (or, with no ids, all) read: at once here, then on the server. */
  async markRead(ids?: string[]): Promise<void> {
    const now = Date.now()
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
    const targets = ids ? new Set(ids) : null
    const changed = this.items.filter((n) => n.readAt === null && (!targets || targets.has(n.id)))
    if (changed.length === 0 && ids) return
    this.#applyRead(targets, now)
    try {
      this.unread = await postNotificationsRead(fetch, ids)
    } catch {
      // The server did not hear it: the next refresh shows them unread again.
    }
  }

  #applyRead(ids: ReadonlySet<string> | null, at: number): void {
    let changed = 0
    this.items = this.items.map((n) => {
      if (n.readAt !== null || (ids && !ids.has(n.id))) return n
      changed++
      return { ...n, readAt: at }
    })
    this.unread = ids ? Math.max(0, this.unread - changed) : 0
  }

  #connect(): void {
    if (this.#destroyed || typeof EventSource === 'undefined' || document.hidden) return
    this.#source?.close()
    const source = new EventSource(NOTIFICATION_STREAM_PATH)
    this.#source = source
    source.addEventListener('ready', (event) => {
      this.live = true
      const { unread } = JSON.parse((event as MessageEvent<string>).data) as { unread: number }
      this.unread = unread
      // Anything that happened while the stream was down.
      void this.refresh()
    })
    source.addEventListener('notification', (event) => {
      const notification = JSON.parse((event as MessageEvent<string>).data) as AppNotification
      if (this.items.some((n) => n.id === notification.id)) return
      for (const streamed of this.#duringRefresh) streamed.push(notification)
      this.items = [notification, ...this.items]
      if (notification.readAt === null) this.unread += 1
    })
    source.addEventListener('read', (event) => {
      const { ids, at } = JSON.parse((event as MessageEvent<string>).data) as {
        ids: string[] | null
        at: number
      }
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
      this.#applyRead(ids ? new Set(ids) : null, at)
    })
    source.onerror = () => {
      this.live = false
      // EventSource retries by itself unless the server refused outright (a 401, say): then it
      // closes, and the polling covers until the next reconnect attempt.
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(() => {
          if (this.#source === source) this.#connect()
        }, POLL_MS)
      }
    }
  }

  #onOnline = () => {
    if (!this.live && !document.hidden) this.#connect()
  }

  #onVisibility = () => {
    if (document.hidden) {
      this.#source?.close()
      this.#source = null
      this.live = false
    } else if (!this.#source) {
      this.#connect()
    }
  }
}
