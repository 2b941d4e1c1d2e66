import type { Migration } from '../migrations.js'

/** In-app notifications for agents: mentions in notes, transfers, assignments. */
export const notifications: Migration = {
  id: 6,
  name: 'notifications',
  sql: `
    CREATE TABLE notifications (
      id TEXT PRIMARY KEY,
      agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
      kind TEXT NOT NULL CHECK (kind IN ('mention', 'transfer', 'assigned')),
      conversation_id TEXT NOT NULL,
      actor_id TEXT,
      message_id TEXT,
      created_at INTEGER NOT NULL,
      read_at INTEGER
    );
    -- The agent's list, newest first, and its unread count.
    CREATE INDEX notifications_agent ON notifications (agent_id, created_at DESC, id DESC);
    CREATE INDEX notifications_unread ON notifications (agent_id) WHERE read_at IS NULL;
    -- One notification per message and agent: a note seen twice (a replay) notifies once.
    CREATE UNIQUE INDEX notifications_message ON notifications (agent_id, kind, message_id)
      WHERE message_id IS NOT NULL;
  `,
}
