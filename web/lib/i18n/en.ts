/**
 * The English dictionary, and the source of the `Dictionary` type every other locale must satisfy:
 * a missing or extra key in another locale is a compile error. Values are plain strings, or
 * functions when a string needs numbers or names put into it.
 */
export const en = {
  app: {
    name: 'Atende',
  },
  login: {
    title: 'Sign in',
    intro: 'Team inbox for WhatsApp customer service',
    email: 'Email',
    password: 'Password',
    submit: 'Sign in',
    wrongCredentials: 'Wrong email or password',
    tooManyAttempts: 'Too many attempts, try again later',
    unreachable: 'Cannot reach the server. Check your connection and try again.',
    unexpected: 'Something went wrong. Try again.',
  },
  shell: {
    demoBadge: 'Demo: simulated WhatsApp',
    demoBadgeHint: 'Messages go to a built-in WhatsApp simulator, not to real customers.',
    language: 'Language',
    signOut: 'Sign out',
    signOutFailed: 'Could not sign out. Check your connection and try again.',
    sessionExpired: 'Your session has ended. Sign in again.',
    dismiss: 'Dismiss',
  },
  connection: {
    label: 'Connection',
    offline: 'Offline',
    syncing: 'Syncing…',
    synced: 'Synced',
  },
  inbox: {
    title: 'Inbox',
    conversations: 'Conversations',
    empty: 'No conversations yet',
    emptyHint: 'New WhatsApp messages will show up here.',
    unread: (count: number) => (count === 1 ? '1 unread message' : `${count} unread messages`),
    noMessagesYet: 'No messages yet',
    selectConversation: 'Select a conversation to read it.',
    conversationNotFound: 'This conversation is not in your inbox.',
  },
  error: {
    notFound: 'Page not found',
    generic: 'Something went wrong',
    backToInbox: 'Back to the inbox',
  },
}

/** The shape every locale's dictionary has: `en` with its strings widened to `string`. */
export type Dictionary = typeof en
