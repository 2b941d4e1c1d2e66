import type { Migration } from '../migrations.js'

/** Webhook intake, the wamid index, statuses waiting for their message, and customer media. */
export const whatsappInbound: Migration = {
  id: 4,
  name: 'whatsapp-inbound',
  sql: `
    -- Every verified webhook delivery, as the exact bytes received, committed before Meta gets its
    -- 200. Events are applied in seq order, so one mark says how far: webhook_intake.applied_through
    -- (every event up to it is settled). error keeps why an event could not be applied; such events
    -- are retried at the next start, like everything past the mark.
    -- AUTOINCREMENT: a seq is never reused after pruning, or it would fall below the mark.
    CREATE TABLE webhook_events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      received_at INTEGER NOT NULL,
      body BLOB NOT NULL,
      error TEXT
    );
    CREATE INDEX webhook_events_received ON webhook_events (received_at);
    CREATE INDEX webhook_events_failed ON webhook_events (seq) WHERE error IS NOT NULL;
    CREATE TABLE webhook_intake (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      applied_through INTEGER NOT NULL
    );

    -- The wamid index: every WhatsApp message id we know, the customer's (in) and our own sends
    -- (out, from recordOutbound), and where its message lives. Dedupes inbound messages, resolves
    -- replies (context.id), reactions and statuses. (The other way round needs no index: customer
    -- messages carry their waMessageId, agent messages' receipts carry theirs.)
    CREATE TABLE wa_messages (
      wamid TEXT PRIMARY KEY,
      direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
      conversation_id TEXT NOT NULL,
      message_id TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) WITHOUT ROWID;

    -- Delivery statuses of our sends, deduped on (wamid, status). applied = 0 while the wamid is not
    -- known yet (a status may overtake the send that produced it); recordOutbound applies them.
    CREATE TABLE wa_statuses (
      wamid TEXT NOT NULL,
      status TEXT NOT NULL,
      at INTEGER NOT NULL,
      error TEXT,
      applied INTEGER NOT NULL DEFAULT 0 CHECK (applied IN (0, 1)),
      received_at INTEGER NOT NULL,
      PRIMARY KEY (wamid, status)
    ) WITHOUT ROWID;
    CREATE INDEX wa_statuses_pending ON wa_statuses (wamid) WHERE applied = 0;

    -- Customers' reactions, the latest per (reacted message, customer); emoji NULL means removed.
    -- applied = 0 while the reacted message is not known yet.
    CREATE TABLE wa_reactions (
      target_wamid TEXT NOT NULL,
      contact_id TEXT NOT NULL,
      emoji TEXT,
      at INTEGER NOT NULL,
      applied INTEGER NOT NULL DEFAULT 0 CHECK (applied IN (0, 1)),
      PRIMARY KEY (target_wamid, contact_id)
    ) WITHOUT ROWID;
    CREATE INDEX wa_reactions_pending ON wa_reactions (target_wamid) WHERE applied = 0;

    -- Media customers send, downloaded from Meta into DATA_DIR/media/<id> (id is ours).
    -- status: pending -> ready, or failed (retried at next_attempt_at while attempts remain).
    CREATE TABLE customer_media (
      id TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL,
      message_id TEXT NOT NULL,
      wa_media_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      mime_type TEXT NOT NULL,
      file_name TEXT,
      sha256 TEXT,
      size INTEGER,
      status TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER,
      error TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX customer_media_due ON customer_media (next_attempt_at)
      WHERE next_attempt_at IS NOT NULL;
  `,
}
