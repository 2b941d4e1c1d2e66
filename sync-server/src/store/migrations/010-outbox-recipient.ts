import type { Migration } from '../migrations.js'

/** Whom each outbox attempt went to, so sends can be capped per customer (sender.ts). */
export const outboxRecipient: Migration = {
  id: 10,
  name: 'outbox-recipient',
  sql: `
    -- The Graph 'to' (the customer's wa_id) of the row's last attempt, written by begin together
    -- with started_at, which from now on is kept until the next attempt (a retryable error or an
    -- agent's retry no longer clears it). The per-customer cap counts the attempts to a recipient
    -- whose started_at falls in the last minute, so it holds across restarts.
    ALTER TABLE outbox ADD COLUMN recipient TEXT;
    CREATE INDEX outbox_recipient ON outbox (recipient, started_at) WHERE recipient IS NOT NULL;
  `,
}
