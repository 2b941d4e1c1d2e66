import type { InboxSummary } from '@atende/shared'
import type { InboxState } from './inbox.svelte'

export type BrowserPermission = NotificationPermission | 'unsupported'

export interface BrowserNotifierOptions {
  inbox: InboxState
  agentId: string
  /** Title and body of the notification for a conversation. */
  describe: (conversation: InboxSummary) => { title: string; body: string }
  /** Opens the conversation (the notification was clicked). */
  open: (conversationId: string) => void
}

/**
 * Desktop notifications for new customer messages, shown only when the agent allowed them and this
 * tab is hidden (a visible tab shows the unread dot instead). Only conversations that are this
 * agent's or nobody's yet: a colleague's customers do not ping everyone. Permission is asked from a
 * button (`request`), never on load. Tabs of the same agent share a tag per conversation, so the
 * system shows one notification, not one per tab.
 */
export class BrowserNotifier {
  permission = $state<BrowserPermission>('unsupported')
  #stop: () => void = () => {}

  constructor() {
    if (typeof Notification !== 'undefined') this.permission = Notification.permission
  }

  /** Asks the browser for permission; resolves with the answer. */
  async request(): Promise<BrowserPermission> {
    if (typeof Notification === 'undefined') return 'unsupported'
    this.permission = await Notification.requestPermission()
    return this.permission
  }

  /** Starts watching the inbox. Returns (and remembers) the stop function. */
  attach(options: BrowserNotifierOptions): () => void {
    this.#stop()
    const stop = options.inbox.onCustomerMessage((conversation) => {
      if (this.permission !== 'granted' || !document.hidden) return
      if (conversation.assigneeId !== null && conversation.assigneeId !== options.agentId) return
      const { title, body } = options.describe(conversation)
      try {
        const notification = new Notification(title, {
          body,
          tag: `atende:conversation:${conversation.id}`,
        })
        notification.onclick = () => {
          window.focus()
          options.open(conversation.id)
          notification.close()
        }
      } catch {
        // Some browsers allow notifications only from a service worker; the unread dot remains.
      }
    })
    this.#stop = stop
    return stop
  }
}
