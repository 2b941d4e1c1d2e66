import type { Migration } from '../migrations.js'

/**
 * Tickets, their protocol numbers, the transcripts filed at close, conversation events, and when
 * an agent named a contact.
 */
export const tickets: Migration = {
  id: 7,
  name: 'tickets',
  sql: `
    -- At most one ticket per conversation (UNIQUE conversation_id). filed_at is set when the
    -- conversation is closed and its history copied into ticket_messages.
    CREATE TABLE tickets (
      id TEXT PRIMARY KEY,
      number TEXT NOT NULL UNIQUE,
      conversation_id TEXT NOT NULL UNIQUE,
      contact_id TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('new', 'open', 'pending', 'resolved', 'closed')),
      assignee_id TEXT,
      created_by TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      filed_at INTEGER
    );
    -- The list pages newest first (keyset on created_at, id), filtered or not.
    CREATE INDEX tickets_recent ON tickets (created_at DESC, id DESC);
    CREATE INDEX tickets_status ON tickets (status, created_at DESC, id DESC);
    CREATE INDEX tickets_assignee ON tickets (assignee_id, created_at DESC, id DESC);
    CREATE INDEX tickets_contact ON tickets (contact_id, created_at DESC);

    -- Protocol numbers: one sequence per calendar day (YYYYMMDD-NNNN).
    CREATE TABLE ticket_numbers (
      day TEXT PRIMARY KEY,
      last INTEGER NOT NULL
    ) WITHOUT ROWID;

    -- A ticket's transcript: the conversation's messages in document order, immutable. The
    -- columns every reader needs, plus the rest of the message (media reference, event,
    -- template, delivery status…) as JSON in data.
    CREATE TABLE ticket_messages (
      ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      message_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      author_id TEXT,
      author_name TEXT,
      text TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      data TEXT
    );
    CREATE UNIQUE INDEX ticket_messages_order ON ticket_messages (ticket_id, seq);

    -- Assignments, transfers, ticket created, status changes, closed: what the right column and
    -- the ticket show. ticket_id is filled in once the conversation has a ticket, at the latest
    -- when it is closed.
    CREATE TABLE conversation_events (
      id TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL,
      ticket_id TEXT,
      type TEXT NOT NULL,
      actor_id TEXT,
      agent_id TEXT,
      status TEXT,
      text TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX conversation_events_conversation ON conversation_events (conversation_id, created_at);
    CREATE INDEX conversation_events_ticket ON conversation_events (ticket_id, created_at)
      WHERE ticket_id IS NOT NULL;

    -- When an agent last set the contact's name: from then on it is theirs, and a WhatsApp
    -- profile name arriving with a message must not replace it.
    ALTER TABLE contacts ADD COLUMN name_edited_at INTEGER;
  `,
}
