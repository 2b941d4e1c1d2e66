import { newId, type ContactId } from '@atende/shared'
import type { Db } from './db.js'

export interface Contact {
  id: ContactId
  waId: string | null
  userId: string | null
  name: string
  phone: string
  email: string | null
  notes: string | null
  createdAt: number
  updatedAt: number
}

interface ContactRow {
  id: string
  wa_id: string | null
  user_id: string | null
  name: string
  phone: string
  email: string | null
  notes: string | null
  created_at: number
  updated_at: number
}

const toContact = (row: ContactRow): Contact => ({
  id: row.id as ContactId,
  waId: row.wa_id,
  userId: row.user_id,
  name: row.name,
  phone: row.phone,
  email: row.email,
  notes: row.notes,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

export interface ContactStore {
  get(id: string): Contact | undefined
  byWaId(waId: string): Contact | undefined
  /** Finds the contact with this WhatsApp number or creates it. */
  findOrCreateByWaId(waId: string, name: string): Contact
}

export function createContactStore(db: Db): ContactStore {
  const byId = db.prepare<[string], ContactRow>('SELECT * FROM contacts WHERE id = ?')
  const byWa = db.prepare<[string], ContactRow>('SELECT * FROM contacts WHERE wa_id = ?')
  const insert = db.prepare(
    `INSERT INTO contacts (id, wa_id, name, phone, created_at, updated_at)
     VALUES (@id, @waId, @name, @phone, @now, @now)`,
  )
  return {
    get: (id) => {
      const row = byId.get(id)
      return row && toContact(row)
    },
    byWaId: (waId) => {
      const row = byWa.get(waId)
      return row && toContact(row)
    },
    findOrCreateByWaId(waId, name) {
      const existing = byWa.get(waId)
      if (existing) return toContact(existing)
      const now = Date.now()
      const id = newId<ContactId>()
      insert.run({ id, waId, name, phone: `+${waId}`, now })
      return toContact(byId.get(id)!)
    },
  }
}
