import { newId } from '@atende/shared'
import type { Db } from './db.js'

export const CANNED_RESPONSE_KINDS = ['public', 'internal'] as const
/** 'public': a reply to the customer; 'internal': an internal note. */
export type CannedResponseKind = (typeof CANNED_RESPONSE_KINDS)[number]

/** A saved text agents pick in the composer and edit before sending. */
export interface CannedResponse {
  id: string
  title: string
  text: string
  kind: CannedResponseKind
  /** The agent who created it: they (or an admin) may change or delete it. */
  createdBy: string
  createdAt: number
  updatedAt: number
}

export type CannedResponseFields = Pick<CannedResponse, 'title' | 'text' | 'kind'>

interface CannedResponseRow {
  id: string
  title: string
  text: string
  kind: CannedResponseKind
  created_by: string
  created_at: number
  updated_at: number
}

const toCannedResponse = (row: CannedResponseRow): CannedResponse => ({
  id: row.id,
  title: row.title,
  text: row.text,
  kind: row.kind,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

export interface CannedResponseStore {
  /** By title; with `query`, those whose title or text contains it (any case, any script). */
  list(query?: string): CannedResponse[]
  get(id: string): CannedResponse | undefined
  create(fields: CannedResponseFields, createdBy: string): CannedResponse
  /** Undefined when there is no such canned response. */
  update(id: string, fields: Partial<CannedResponseFields>): CannedResponse | undefined
  remove(id: string): boolean
}

export function createCannedResponseStore(db: Db): CannedResponseStore {
  const all = db.prepare<[], CannedResponseRow>(
    'SELECT * FROM canned_responses ORDER BY title COLLATE NOCASE, created_at',
  )
  const byId = db.prepare<[string], CannedResponseRow>(
    'SELECT * FROM canned_responses WHERE id = ?',
  )
  const insert = db.prepare(
    `INSERT INTO canned_responses (id, title, text, kind, created_by, created_at, updated_at)
     VALUES (@id, @title, @text, @kind, @createdBy, @now, @now)`,
  )
  const update = db.prepare(
    `UPDATE canned_responses SET title = @title, text = @text, kind = @kind, updated_at = @now
     WHERE id = @id`,
  )
  const remove = db.prepare<[string]>('DELETE FROM canned_responses WHERE id = ?')

  return {
    list(query) {
      const responses = all.all().map(toCannedResponse)
      const needle = query?.trim().toLocaleLowerCase()
      if (!needle) return responses
      // SQLite's LIKE and lower() only fold ASCII: filter here so "OLÁ" finds "olá".
      return responses.filter(
        (response) =>
          response.title.toLocaleLowerCase().includes(needle) ||
          response.text.toLocaleLowerCase().includes(needle),
      )
    },
    get(id) {
      const row = byId.get(id)
      return row && toCannedResponse(row)
    },
    create(fields, createdBy) {
      const id = newId()
      insert.run({ id, ...fields, createdBy, now: Date.now() })
      return toCannedResponse(byId.get(id)!)
    },
    update(id, fields) {
      const current = byId.get(id)
      if (!current) return undefined
      const next = { ...toCannedResponse(current), ...fields }
      update.run({ id, title: next.title, text: next.text, kind: next.kind, now: Date.now() })
      return toCannedResponse(byId.get(id)!)
    },
    remove: (id) => remove.run(id).changes === 1,
  }
}
