import { newId } from '@atende/shared'
import type { Db } from './db.js'

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number]

/** A message template as registered by an admin (approved under the same name on Meta's side). */
export interface MessageTemplate {
  id: string
  name: string
  /** WhatsApp language code, e.g. pt_BR, en_US. */
  language: string
  category: TemplateCategory
  /** Body text with `{{1}}`, `{{2}}`… parameters. */
  body: string
  createdAt: number
  updatedAt: number
}

export type TemplateFields = Pick<MessageTemplate, 'name' | 'language' | 'category' | 'body'>

/** A name and language pair that is registered already. */
export class TemplateConflict extends Error {
  readonly code = 'template_exists'
}

interface TemplateRow {
  id: string
  name: string
  language: string
  category: TemplateCategory
  body: string
  created_at: number
  updated_at: number
}

const toTemplate = (row: TemplateRow): MessageTemplate => ({
  id: row.id,
  name: row.name,
  language: row.language,
  category: row.category,
  body: row.body,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

export interface TemplateStore {
  list(): MessageTemplate[]
  get(id: string): MessageTemplate | undefined
  find(name: string, language: string): MessageTemplate | undefined
  /** Throws {@link TemplateConflict} when the name and language are taken. */
  create(fields: TemplateFields): MessageTemplate
  /** Undefined when there is no such template; throws {@link TemplateConflict} like `create`. */
  update(id: string, fields: Partial<TemplateFields>): MessageTemplate | undefined
  remove(id: string): boolean
}

const isUniqueViolation = (err: unknown) =>
  err instanceof Error && (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'

export function createTemplateStore(db: Db): TemplateStore {
  const all = db.prepare<[], TemplateRow>('SELECT * FROM message_templates ORDER BY name, language')
  const byId = db.prepare<[string], TemplateRow>('SELECT * FROM message_templates WHERE id = ?')
  const byName = db.prepare<[string, string], TemplateRow>(
    'SELECT * FROM message_templates WHERE name = ? AND language = ?',
  )
  const insert = db.prepare(
    `INSERT INTO message_templates (id, name, language, category, body, created_at, updated_at)
     VALUES (@id, @name, @language, @category, @body, @now, @now)`,
  )
  const update = db.prepare(
    `UPDATE message_templates SET name = @name, language = @language, category = @category,
       body = @body, updated_at = @now WHERE id = @id`,
  )
  const remove = db.prepare<[string]>('DELETE FROM message_templates WHERE id = ?')

  const conflict = (fields: TemplateFields) =>
    new TemplateConflict(`A template named ${fields.name} in ${fields.language} exists already`)

  return {
    list: () => all.all().map(toTemplate),
    get(id) {
      const row = byId.get(id)
      return row && toTemplate(row)
    },
    find(name, language) {
      const row = byName.get(name, language)
      return row && toTemplate(row)
    },
    create(fields) {
      const id = newId()
      try {
        insert.run({ id, ...fields, now: Date.now() })
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(fields)
        throw err
      }
      return toTemplate(byId.get(id)!)
    },
    update(id, fields) {
      const current = byId.get(id)
      if (!current) return undefined
      const next = { ...toTemplate(current), ...fields }
      try {
        update.run({
          id,
          name: next.name,
          language: next.language,
          category: next.category,
          body: next.body,
          now: Date.now(),
        })
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(next)
        throw err
      }
      return toTemplate(byId.get(id)!)
    },
    remove: (id) => remove.run(id).changes === 1,
  }
}
