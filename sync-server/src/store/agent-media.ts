import type { Db } from './db.js'

/** A file an agent attached, stored under DATA_DIR/media/<id>. */
export interface AgentMedia {
  id: string
  conversationId: string
  messageId: string
  mimeType: string
  fileName: string | null
  size: number
  /** Hex sha256 of the stored bytes. */
  sha256: string
  /** Absolute path of the stored file. */
  path: string
  createdAt: number
}

interface AgentMediaRow {
  id: string
  conversation_id: string
  message_id: string
  mime_type: string
  file_name: string | null
  size: number
  sha256: string
  path: string
  created_at: number
}

const toMedia = (row: AgentMediaRow): AgentMedia => ({
  id: row.id,
  conversationId: row.conversation_id,
  messageId: row.message_id,
  mimeType: row.mime_type,
  fileName: row.file_name,
  size: row.size,
  sha256: row.sha256,
  path: row.path,
  createdAt: row.created_at,
})

export interface AgentMediaStore {
  insert(media: AgentMedia): void
  get(id: string): AgentMedia | undefined
  byMessage(messageId: string): AgentMedia | undefined
  /** Deletes a conversation's rows (inside the deletion's transaction); their files' paths. */
  removeConversation(conversationId: string): string[]
}

export function createAgentMediaStore(db: Db): AgentMediaStore {
  const insert = db.prepare(
    `INSERT INTO agent_media (id, conversation_id, message_id, mime_type, file_name, size, sha256, path, created_at)
     VALUES (@id, @conversationId, @messageId, @mimeType, @fileName, @size, @sha256, @path, @createdAt)`,
  )
  const byId = db.prepare<[string], AgentMediaRow>('SELECT * FROM agent_media WHERE id = ?')
  const byMessage = db.prepare<[string], AgentMediaRow>(
    'SELECT * FROM agent_media WHERE message_id = ?',
  )
  const byConversation = db.prepare<[string], { path: string }>(
    'SELECT path FROM agent_media WHERE conversation_id = ?',
  )
  const removeByConversation = db.prepare<[string]>(
    'DELETE FROM agent_media WHERE conversation_id = ?',
  )
  return {
    insert: (media) => void insert.run(media),
    removeConversation(conversationId) {
      const paths = byConversation.all(conversationId).map((row) => row.path)
      if (paths.length > 0) removeByConversation.run(conversationId)
      return paths
    },
    get(id) {
      const row = byId.get(id)
      return row && toMedia(row)
    },
    byMessage(messageId) {
      const row = byMessage.get(messageId)
      return row && toMedia(row)
    },
  }
}
