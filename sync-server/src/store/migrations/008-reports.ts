import type { Migration } from '../migrations.js'

/**
 * Report facts, recorded as messages reach conversation documents and kept whatever happens to the
 * conversation later (closing deletes its document; deleting removes its row): nothing here
 * references the conversation tables, so nothing cascades.
 */
export const reports: Migration = {
  id: 8,
  name: 'reports',
  sql: `
    -- One row per customer or agent message ever seen: what makes recording idempotent (a
    -- document is loaded and scanned many times). at: the WhatsApp timestamp for customer
    -- messages, the author's clock for agent messages; sent_at: when its receipt first said sent.
    CREATE TABLE report_messages (
      id TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('customer', 'agent')),
      author_id TEXT,
      at INTEGER NOT NULL,
      sent_at INTEGER
    ) WITHOUT ROWID;
    -- First response: the earliest agent message at or after the conversation's start.
    CREATE INDEX report_messages_conversation ON report_messages (conversation_id, kind, at);

    -- Counters per UTC quarter hour (bucket = floor(ms / 900000)), kept in the same transaction
    -- as the facts they count: reports fold these, never the facts.
    CREATE TABLE report_buckets (
      bucket INTEGER PRIMARY KEY,
      conversations INTEGER NOT NULL DEFAULT 0,
      received INTEGER NOT NULL DEFAULT 0,
      sent INTEGER NOT NULL DEFAULT 0
    );

    -- Agents by a small integer key: response-time reports read a hundred thousand rows a year,
    -- and integers are much cheaper to read and group than uuid strings.
    CREATE TABLE report_agents (
      key INTEGER PRIMARY KEY,
      agent_id TEXT NOT NULL UNIQUE
    );

    -- One row per conversation: started_at is its first customer message's WhatsApp timestamp
    -- (null while the customer has not written); first_response_at the earliest agent message at
    -- or after it; assignee the assignee (frozen at close); closed_at when its row became closed.
    CREATE TABLE report_conversations (
      id TEXT PRIMARY KEY,
      started_at INTEGER,
      first_response_at INTEGER,
      first_responder INTEGER REFERENCES report_agents (key),
      assignee INTEGER REFERENCES report_agents (key),
      closed_at INTEGER
    ) WITHOUT ROWID;
    -- Response-time reports read conversations by start, from the index alone.
    CREATE INDEX report_conversations_started ON report_conversations
      (started_at, first_response_at, first_responder, closed_at, assignee)
      WHERE started_at IS NOT NULL;

    -- Response times' durations by UTC day of start: JSON arrays of the durations (ms) and of the
    -- agent keys credited, of first responses and of resolutions. A cache of report_conversations
    -- (a year of reports reads 365 of these rows, not 100,000 conversations): any change to a
    -- conversation marks its day stale, whoever makes it, and a stale day is rebuilt when read.
    CREATE TABLE report_duration_days (
      day INTEGER PRIMARY KEY,
      fresh INTEGER NOT NULL DEFAULT 0,
      first_responses TEXT NOT NULL DEFAULT '[]',
      first_responders TEXT NOT NULL DEFAULT '[]',
      resolutions TEXT NOT NULL DEFAULT '[]',
      resolvers TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TRIGGER report_conversation_added AFTER INSERT ON report_conversations
    WHEN NEW.started_at IS NOT NULL
    BEGIN
      UPDATE report_duration_days SET fresh = 0 WHERE day = NEW.started_at / 86400000;
    END;
    CREATE TRIGGER report_conversation_changed AFTER UPDATE ON report_conversations
    BEGIN
      UPDATE report_duration_days SET fresh = 0
      WHERE day IN (OLD.started_at / 86400000, NEW.started_at / 86400000);
    END;

    -- The close, as the conversations row records it, in the closing transaction itself: it is
    -- seen whichever code path closes, even with the document never loaded here.
    CREATE TRIGGER report_conversation_closed AFTER UPDATE OF status ON conversations
    WHEN NEW.status = 'closed' AND OLD.status IS NOT 'closed'
    BEGIN
      INSERT INTO report_conversations (id, closed_at)
        VALUES (NEW.id, CAST(unixepoch('subsec') * 1000 AS INTEGER))
        ON CONFLICT (id) DO UPDATE SET closed_at = excluded.closed_at;
    END;
    CREATE TRIGGER report_conversation_reopened AFTER UPDATE OF status ON conversations
    WHEN OLD.status = 'closed' AND NEW.status IS NOT 'closed'
    BEGIN
      UPDATE report_conversations SET closed_at = NULL WHERE id = NEW.id;
    END;

    -- Local start times (minutes since midnight) of the shifts, set by admins; defaults in code.
    CREATE TABLE report_shifts (
      shift TEXT PRIMARY KEY CHECK (shift IN ('morning', 'afternoon', 'night')),
      starts_at INTEGER NOT NULL CHECK (starts_at >= 0 AND starts_at < 1440),
      updated_at INTEGER NOT NULL,
      updated_by TEXT
    ) WITHOUT ROWID;
  `,
}
