import type { Migration } from '../migrations.js'

/**
 * Customers' edits and deletions of their messages (WhatsApp `edit` and `revoke`), and the billing
 * facts of our sends' statuses.
 */
export const waAmendments: Migration = {
  id: 15,
  name: 'wa-amendments',
  sql: `
    -- One row per edit or revoke webhook message, keyed on its own wamid (a redelivery is a no-op).
    -- applied = 0 while the message it amends is not known yet (webhooks arrive in any order): the
    -- intake lays it over that message when it lands. text is the edit's new text or caption.
    CREATE TABLE wa_amendments (
      wamid TEXT PRIMARY KEY,
      target_wamid TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('edit', 'revoke')),
      text TEXT,
      at INTEGER NOT NULL,
      applied INTEGER NOT NULL DEFAULT 0 CHECK (applied IN (0, 1)),
      received_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX wa_amendments_target ON wa_amendments (target_wamid);
    CREATE INDEX wa_amendments_pending ON wa_amendments (received_at) WHERE applied = 0;

    -- pricing.category and conversation.origin.type of a status, kept for the receipt.
    ALTER TABLE wa_statuses ADD COLUMN billing_category TEXT;
    ALTER TABLE wa_statuses ADD COLUMN conversation_origin TEXT;
  `,
}
