import type { Migration } from '../migrations.js'

/**
 * Who handled a ticket's conversation, besides who owns the ticket: the conversation's assignee
 * when it was closed (a transfer after the ticket was opened leaves the two apart).
 */
export const ticketHandler: Migration = {
  id: 16,
  name: 'ticket-handler',
  sql: `
    -- Set at close; null before (the live conversation's assignee stands in) or when nobody had it.
    ALTER TABLE tickets ADD COLUMN handler_id TEXT;
  `,
}
