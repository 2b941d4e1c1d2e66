import { describe, expect, test } from 'vitest'
import type { AppNotification } from '$lib/api/notifications'
import { en } from '$lib/i18n/en'
import { ptBR } from '$lib/i18n/pt-br'
import { notificationView, type NotificationContext } from './notification-view'

const ME = '00000000-0000-4000-8000-00000000000a'
const ANA = '00000000-0000-4000-8000-00000000000b'
const CONVERSATION = '00000000-0000-4000-8000-0000000000c1'

function context(m = en): NotificationContext {
  return {
    m,
    me: ME,
    nameOf: (id) => (id === ANA ? 'Ana Souza' : undefined),
    contactOf: (id) => (id === CONVERSATION ? 'Maria' : undefined),
    conversationPath: (id) => `/inbox/${id}`,
    accountPath: '/settings/audit',
  }
}

function notification(changes: Partial<AppNotification>): AppNotification {
  return {
    id: 'n1',
    agentId: ME,
    kind: 'mention',
    conversationId: CONVERSATION,
    accountId: null,
    actorId: ANA,
    messageId: null,
    createdAt: 1,
    readAt: null,
    ...changes,
  }
}

describe('notification view', () => {
  test('says who did what in which conversation, and leads there', () => {
    expect(notificationView(notification({}), context())).toMatchObject({
      text: 'Ana Souza mentioned you in Maria',
      href: `/inbox/${CONVERSATION}`,
      read: false,
    })
  })

  test('warns of repeated failed sign-ins, on one’s own account or a colleague’s', () => {
    const failures = { kind: 'sign_in_failures' as const, conversationId: null, actorId: null }
    const mine = notification({ ...failures, accountId: ME })
    const ana = notification({ ...failures, accountId: ANA })
    expect(notificationView(mine, context())).toMatchObject({
      text: 'Repeated failed sign-ins on your account',
      href: '/settings/audit',
    })
    expect(notificationView(ana, context()).text).toBe(
      'Repeated failed sign-ins on Ana Souza’s account',
    )
    expect(notificationView(ana, context(ptBR)).text).toBe(
      'Várias tentativas de entrar na conta de Ana Souza falharam',
    )
  })
})
