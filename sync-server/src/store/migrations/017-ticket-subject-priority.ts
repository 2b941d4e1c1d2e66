import type { Migration } from '../migrations.js'

/**
 * Tickets get what an agent may say about them when creating one: an optional subject and a
 * priority (normal unless told). The list can filter on priority and sort by it, most urgent first.
 */
export const ticketSubjectPriority: Migration = {
  id: 17,
  name: 'ticket-subject-priority',
  sql: `
    -- At most 120 characters, checked by the API (shared MAX_TICKET_SUBJECT); null for none.
    ALTER TABLE tickets ADD COLUMN subject TEXT;
    ALTER TABLE tickets ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal'
      CHECK (priority IN ('low', 'normal', 'high', 'urgent'));
    CREATE INDEX tickets_priority ON tickets (priority, created_at DESC, id DESC);
    CREATE INDEX tickets_updated ON tickets (updated_at DESC, id DESC);
  `,
}
