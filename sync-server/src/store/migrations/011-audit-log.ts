import type { Migration } from '../migrations.js'

/** The audit log: what admins changed (settings, agents, templates, canned responses), and who. */
export const auditLog: Migration = {
  id: 11,
  name: 'audit-log',
  sql: `
    -- Append only. actor_name is the name at the time (agents are renamed and deleted, the entry
    -- stays as written), so no foreign key. details: JSON, never a secret or a password.
    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      actor_id TEXT NOT NULL,
      actor_name TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT,
      details TEXT NOT NULL DEFAULT '{}'
    );
  `,
}
