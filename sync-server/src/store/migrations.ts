/**
 * The schema, as an ordered list of migrations. Append only: never edit one that has shipped.
 * (Kept in TypeScript rather than .sql files so the compiled server carries them with no copy step.)
 */
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
]
