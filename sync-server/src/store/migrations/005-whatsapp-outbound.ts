import type { Migration } from '../migrations.js'

/** The outbox of agent messages to send, message templates, agent attachments and settings. */
export const whatsappOutbound: Migration = {
  id: 5,
  name: 'whatsapp-outbound',
  sql: `
    -- One row per agent message handed to WhatsApp, keyed by our message id so a message is queued
    -- once however often it is seen. state: queued -> sending (attempt n, started_at, committed
    -- before the Graph call) -> sent | failed | unknown; a retryable error goes back to queued with
    -- next_attempt_at. A 'sending' row found at start-up becomes 'unknown': never resent silently.
    -- synced = 0 while the outcome is not yet written to the conversation doc (and, once sent,
    -- the wamid not yet handed to the inbound side); start-up finishes the job.
    CREATE TABLE outbox (
      message_id TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'unknown')),
      attempt INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      started_at INTEGER,
      wamid TEXT,
      graph_media_id TEXT,
      uploaded_at INTEGER,
      error TEXT,
      synced INTEGER NOT NULL DEFAULT 1 CHECK (synced IN (0, 1)),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX outbox_seq ON outbox (seq);
    CREATE INDEX outbox_lane ON outbox (state, conversation_id, seq);
    CREATE INDEX outbox_unsynced ON outbox (synced) WHERE synced = 0;

    -- Message templates registered by admins (approved on Meta's side under the same name).
    CREATE TABLE message_templates (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      language TEXT NOT NULL,
      category TEXT NOT NULL CHECK (category IN ('MARKETING', 'UTILITY', 'AUTHENTICATION')),
      body TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      UNIQUE (name, language)
    );

    -- Files agents attach, stored under DATA_DIR/media/<id>.
    CREATE TABLE agent_media (
      id TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL,
      message_id TEXT NOT NULL UNIQUE,
      mime_type TEXT NOT NULL,
      file_name TEXT,
      size INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      path TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );

    -- Small team-wide settings, one JSON value per key (e.g. readReceipts).
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    );
  `,
}
