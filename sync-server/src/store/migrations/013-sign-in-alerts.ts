import type { Migration } from '../migrations.js'

/**
 * Notifications about an account rather than a conversation (repeated failed sign-ins): a new
 * kind, `conversation_id` optional, and `account_id`, the agent whose sign-ins failed. SQLite cannot
 * change a CHECK in place, so the table is copied.
 */
export const signInAlerts: Migration = {
  id: 13,
  name: 'sign-in-alerts',
  sql: `
    CREATE TABLE notifications_new (
      id TEXT PRIMARY KEY,
      agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
      kind TEXT NOT NULL CHECK (kind IN ('mention', 'transfer', 'assigned', 'sign_in_failures')),
      conversation_id TEXT,
      account_id TEXT,
      actor_id TEXT,
      message_id TEXT,
      created_at INTEGER NOT NULL,
      read_at INTEGER
    );
    INSERT INTO notifications_new
        (id, agent_id, kind, conversation_id, actor_id, message_id, created_at, read_at)
      SELECT id, agent_id, kind, conversation_id, actor_id, message_id, created_at, read_at
      FROM notifications;
    DROP TABLE notifications;
    ALTER TABLE notifications_new RENAME TO notifications;
    CREATE INDEX notifications_agent ON notifications (agent_id, created_at DESC, id DESC);
    CREATE INDEX notifications_unread ON notifications (agent_id) WHERE read_at IS NULL;
    CREATE UNIQUE INDEX notifications_message ON notifications (agent_id, kind, message_id)
      WHERE message_id IS NOT NULL;
  `,
}
