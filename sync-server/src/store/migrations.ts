/**
 * The schema, as an ordered list of migrations. Append only: never edit one that has shipped.
 * (Kept in TypeScript rather than .sql files so the compiled server carries them with no copy step.)
 */
import { whatsappInbound } from './migrations/004-whatsapp-inbound.js'
import { whatsappOutbound } from './migrations/005-whatsapp-outbound.js'
import { notifications } from './migrations/006-notifications.js'
import { tickets } from './migrations/007-tickets.js'
import { reports } from './migrations/008-reports.js'
import { cannedResponses } from './migrations/009-canned-responses.js'
import { outboxRecipient } from './migrations/010-outbox-recipient.js'
import { auditLog } from './migrations/011-audit-log.js'
import { conversationSources } from './migrations/012-conversation-sources.js'
import { signInAlerts } from './migrations/013-sign-in-alerts.js'
import { mediaMismatch } from './migrations/014-media-mismatch.js'
import { waAmendments } from './migrations/015-wa-amendments.js'
import { ticketHandler } from './migrations/016-ticket-handler.js'
import { ticketSubjectPriority } from './migrations/017-ticket-subject-priority.js'

export interface Migration {
  id: number
  name: string
  sql: string
}

export const MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'documents',
    sql: `
      -- One row per Yjs document: its compacted state plus an append-only log of updates since.
      CREATE TABLE ydocs (
        name TEXT PRIMARY KEY,
        snapshot BLOB,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE ydoc_updates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_name TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX ydoc_updates_doc ON ydoc_updates (doc_name, seq);
      -- Conversations the server has opened: a conversation doc may exist only for these.
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        contact_id TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open',
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    id: 2,
    name: 'accounts',
    sql: `
      -- Agents and admins. Emails are stored trimmed and lower-cased; NOCASE guards the index too.
      CREATE TABLE agents (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT NOT NULL COLLATE NOCASE UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('agent', 'admin')),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        -- scrypt$N$r$p$salt$hash: the parameters travel with the hash so they can be raised later.
        password_hash TEXT NOT NULL,
        avatar_color TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      -- Server-side sessions; only the sha256 of the bearer token is stored.
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_agent ON sessions (agent_id);
      CREATE INDEX sessions_expiry ON sessions (expires_at);
    `,
  },
  {
    id: 3,
    name: 'contacts',
    sql: `
      -- Customers. WhatsApp keys them on wa_id (their number), or on the business-scoped user_id
      -- when a username hides the number; a contact created by an agent may have only a phone.
      CREATE TABLE contacts (
        id TEXT PRIMARY KEY,
        wa_id TEXT UNIQUE,
        user_id TEXT UNIQUE,
        name TEXT NOT NULL,
        phone TEXT NOT NULL,
        email TEXT,
        notes TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX contacts_phone ON contacts (phone);
      CREATE INDEX conversations_contact ON conversations (contact_id, status);
    `,
  },
  whatsappInbound,
  whatsappOutbound,
  notifications,
  tickets,
  reports,
  cannedResponses,
  outboxRecipient,
  auditLog,
  conversationSources,
  signInAlerts,
  mediaMismatch,
  waAmendments,
  ticketHandler,
  ticketSubjectPriority,
]
