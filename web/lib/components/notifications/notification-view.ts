import type { AppNotification } from '$lib/api/notifications'
import type { Dictionary } from '$lib/i18n'

/** A notification ready to show: its sentence and where it leads (computed by the inbox layout). */
export interface NotificationView {
  id: string
  text: string
  href: string
  createdAt: number
  read: boolean
}

export type DesktopPermission = NotificationPermission | 'unsupported'

/** What turning a notification into words needs to know. */
export interface NotificationContext {
  m: Dictionary
  /** The signed-in agent. */
  me: string
  nameOf(agentId: string | null): string | undefined
  contactOf(conversationId: string): string | undefined
  conversationPath(conversationId: string): string
  /** Where a warning about an account leads (the audit log for admins, else the inbox). */
  accountPath: string
}

/** A notification in words, with where it leads. */
export function notificationView(
  notification: AppNotification,
  context: NotificationContext,
): NotificationView {
  const { m } = context
  const base = {
    id: notification.id,
    createdAt: notification.createdAt,
    read: notification.readAt !== null,
  }
  if (notification.kind === 'sign_in_failures') {
    const mine = notification.accountId === context.me
    const name = context.nameOf(notification.accountId) ?? m.notifications.anAccount
    return {
      ...base,
      text: mine ? m.notifications.signInFailuresYours : m.notifications.signInFailures(name),
      href: context.accountPath,
    }
  }
  const conversationId = notification.conversationId ?? ''
  const actor = context.nameOf(notification.actorId) ?? m.notifications.someone
  const contact = context.contactOf(conversationId) ?? m.notifications.aConversation
  return {
    ...base,
    text: m.notifications[notification.kind](actor, contact),
    href: context.conversationPath(conversationId),
  }
}
