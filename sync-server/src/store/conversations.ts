import type { ContactId, ConversationId, ConversationStatus } from '@atende/shared'
import type { Db } from './db.js'

export interface ConversationRow {
  id: ConversationId
  contactId: ContactId
  status: ConversationStatus
  createdAt: number
}

export interface ConversationStore {
  insert(row: ConversationRow): void
  get(id: string): ConversationRow | undefined
  /** The contact's conversation that is still live (not closed), if any. */
  openFor(contactId: string): ConversationRow | undefined
}

export function createConversationStore(db: Db): ConversationStore {
  const insert = db.prepare(
    'INSERT INTO conversations (id, contact_id, status, created_at) VALUES (@id, @contactId, @status, @createdAt)',
  )
  const columns = 'id, contact_id AS contactId, status, created_at AS createdAt'
  const byId = db.prepare<[string], ConversationRow>(
    `SELECT ${columns} FROM conversations WHERE id = ?`,
  )
  const open = db.prepare<[string], ConversationRow>(
    `SELECT ${columns} FROM conversations WHERE contact_id = ? AND status != 'closed' ORDER BY created_at DESC LIMIT 1`,
  )
  return {
    insert: (row) => void insert.run(row),
    get: (id) => byId.get(id),
    openFor: (contactId) => open.get(contactId),
  }
}
