/**
 * In-app notifications: an agent was mentioned in a note, or a conversation was transferred or
 * assigned to them, or someone kept failing to sign in to an account (its owner and the admins
 * hear of it). One row per agent and event; `notify` is what other modules call. Listeners
 * (the live stream of `/api/notifications/stream`) hear of every row created or marked read.
 */
import { newId } from '@atende/shared'
import type { Db } from './db.js'

export const NOTIFICATION_KINDS = ['mention', 'transfer', 'assigned', 'sign_in_failures'] as const
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]

/** A notification as the API returns it. */
export interface Notification {
  id: string
  agentId: string
  kind: NotificationKind
  /** The conversation it is about; null for `sign_in_failures`. */
  conversationId: string | null
  /** The account it is about (`sign_in_failures`: the agent whose sign-ins failed), else null. */
  accountId: string | null
  /** Who caused it (the note's author, who transferred); null for the system. */
  actorId: string | null
  /** The note that mentioned the agent, for mentions. */
  messageId: string | null
  createdAt: number
  readAt: number | null
}

export interface NotifyInput {
  agentId: string
  kind: NotificationKind
  conversationId: string | null
  accountId?: string | null
  actorId: string | null
  messageId?: string | null
}

export type NotificationEvent =
  | { type: 'created'; notification: Notification }
  /** `ids` null: every unread notification of the agent. */
  | { type: 'read'; agentId: string; ids: string[] | null; at: number }

export type NotificationListener = (event: NotificationEvent) => void

interface Row {
  id: string
  agent_id: string
  kind: NotificationKind
  conversation_id: string | null
  account_id: string | null
  actor_id: string | null
  message_id: string | null
  created_at: number
  read_at: number | null
}

function toNotification(row: Row): Notification {
  return {
    id: row.id,
    agentId: row.agent_id,
    kind: row.kind,
    conversationId: row.conversation_id,
    accountId: row.account_id,
    actorId: row.actor_id,
    messageId: row.message_id,
    createdAt: row.created_at,
    readAt: row.read_at,
  }
}

function prepare(db: Db) {
  return {
    agentExists: db.prepare<[string], { found: number }>(
      'SELECT 1 AS found FROM agents WHERE id = ?',
    ),
    // OR IGNORE: the unique (agent, kind, message) index makes a repeated mention a no-op.
    insert: db.prepare(
      `INSERT OR IGNORE INTO notifications
         (id, agent_id, kind, conversation_id, account_id, actor_id, message_id, created_at,
          read_at)
       VALUES (@id, @agent_id, @kind, @conversation_id, @account_id, @actor_id, @message_id,
               @created_at, NULL)`,
    ),
    page: db.prepare<[string, number, number, string, number], Row>(
      `SELECT * FROM notifications
       WHERE agent_id = ? AND (created_at < ? OR (created_at = ? AND id < ?))
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    ),
    unread: db.prepare<[string], { count: number }>(
      'SELECT COUNT(*) AS count FROM notifications WHERE agent_id = ? AND read_at IS NULL',
    ),
    readAll: db.prepare(
      'UPDATE notifications SET read_at = ? WHERE agent_id = ? AND read_at IS NULL',
    ),
    readOne: db.prepare(
      'UPDATE notifications SET read_at = ? WHERE agent_id = ? AND id = ? AND read_at IS NULL',
    ),
  }
}

type Statements = ReturnType<typeof prepare>
const statements = new WeakMap<Db, Statements>()
const listeners = new WeakMap<Db, Set<NotificationListener>>()

function statementsOf(db: Db): Statements {
  let prepared = statements.get(db)
  if (!prepared) {
    prepared = prepare(db)
    statements.set(db, prepared)
  }
  return prepared
}

function emit(db: Db, event: NotificationEvent): void {
  for (const listener of listeners.get(db) ?? []) listener(event)
}

/**
 * Records a notification for an agent and tells the live listeners. Returns it, or null when
 * nothing was recorded: the agent does not exist, is the actor themself, or was already notified
 * of this message (idempotent per message id, agent and kind).
 */
export function notify(db: Db, input: NotifyInput, now = Date.now()): Notification | null {
  const sql = statementsOf(db)
  if (input.actorId !== null && input.actorId === input.agentId) return null
  if (!sql.agentExists.get(input.agentId)) return null
  const row: Row = {
    id: newId(),
    agent_id: input.agentId,
    kind: input.kind,
    conversation_id: input.conversationId,
    account_id: input.accountId ?? null,
    actor_id: input.actorId,
    message_id: input.messageId ?? null,
    created_at: now,
    read_at: null,
  }
  if (sql.insert.run(row).changes === 0) return null
  const notification = toNotification(row)
  emit(db, { type: 'created', notification })
  return notification
}

/** Hears every notification created or marked read on this database. Returns an unsubscribe. */
export function onNotification(db: Db, listener: NotificationListener): () => void {
  let set = listeners.get(db)
  if (!set) {
    set = new Set()
    listeners.set(db, set)
  }
  set.add(listener)
  return () => set.delete(listener)
}

export interface NotificationPage {
  notifications: Notification[]
  /** Cursor for the next (older) page, or null at the end. */
  next: string | null
}

export interface NotificationStore {
  /** The agent's notifications, newest first, `limit` at a time, older than the `before` cursor. */
  list(agentId: string, options?: { before?: string | null; limit?: number }): NotificationPage
  unreadCount(agentId: string): number
  /** Marks the agent's notifications read (`ids` omitted: all of them); returns how many changed. */
  markRead(agentId: string, ids?: readonly string[], now?: number): number
}

// Cursor: `<createdAt>_<id>` of the last row of a page (rows are ordered by both).
function encodeCursor(notification: Notification): string {
  return `${notification.createdAt}_${notification.id}`
}

/** The cursor's position, or null for a cursor that is not one of ours. */
export function parseCursor(cursor: string): { createdAt: number; id: string } | null {
  const match = /^(\d{1,15})_([0-9a-f-]{36})$/.exec(cursor)
  return match ? { createdAt: Number(match[1]), id: match[2]! } : null
}

export function createNotificationStore(db: Db): NotificationStore {
  const sql = statementsOf(db)
  return {
    list(agentId, options = {}) {
      const limit = Math.min(Math.max(options.limit ?? 30, 1), 100)
      const after = options.before ? parseCursor(options.before) : null
      const createdAt = after?.createdAt ?? Number.MAX_SAFE_INTEGER
      const id = after?.id ?? '~' // sorts after every uuid
      const rows = sql.page.all(agentId, createdAt, createdAt, id, limit + 1)
      const notifications = rows.slice(0, limit).map(toNotification)
      const last = notifications[notifications.length - 1]
      return { notifications, next: rows.length > limit && last ? encodeCursor(last) : null }
    },

    unreadCount: (agentId) => sql.unread.get(agentId)?.count ?? 0,

    markRead(agentId, ids, now = Date.now()) {
      let changed = 0
      db.transaction(() => {
        if (ids === undefined) changed = sql.readAll.run(now, agentId).changes
        else for (const id of new Set(ids)) changed += sql.readOne.run(now, agentId, id).changes
      })()
      if (changed > 0) emit(db, { type: 'read', agentId, ids: ids ? [...ids] : null, at: now })
      return changed
    },
  }
}
