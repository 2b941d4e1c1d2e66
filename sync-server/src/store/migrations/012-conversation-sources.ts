import type { Migration } from '../migrations.js'

/**
 * Where conversations came from: the `referral` (click-to-WhatsApp ad or post) of a conversation's
 * earliest referred customer message. A report fact like those of migration 008, kept whatever
 * happens to the conversation later; a conversation with no row here came in directly.
 */
export const conversationSources: Migration = {
  id: 12,
  name: 'conversation-sources',
  sql: `
    CREATE TABLE report_conversation_sources (
      conversation_id TEXT PRIMARY KEY,
      -- referral.source_type: 'ad' or 'post' (as received, should WhatsApp add others)
      source TEXT NOT NULL,
      -- the referring message's WhatsApp timestamp: the earliest one wins
      at INTEGER NOT NULL
    ) WITHOUT ROWID;
  `,
}
