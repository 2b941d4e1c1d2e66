import type { Migration } from '../migrations.js'

/** Canned responses: saved texts agents pick in the composer, for replies or for internal notes. */
export const cannedResponses: Migration = {
  id: 9,
  name: 'canned-responses',
  sql: `
    -- kind: 'public' for replies to the customer, 'internal' for notes. created_by is kept when
    -- its author is removed (agents are deactivated, not deleted), so no foreign key.
    CREATE TABLE canned_responses (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      text TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('public', 'internal')),
      created_by TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX canned_responses_kind ON canned_responses (kind, title);
  `,
}
