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
  /** The contact of this identity (on `wa_id`, else `user_id`), never creating one. */
  findByIdentity(identity: WhatsAppIdentity): Contact | undefined
  /** Finds the contact with this WhatsApp number or creates it. */
  findOrCreateByWaId(waId: string, name: string): Contact
  /**
   * The contact a webhook's sender is: found on `wa_id`, else on the business-scoped `user_id`,
   * else created. A given profile name replaces the stored one (kept current) unless an agent
   * edited the name, and a missing `wa_id` or `user_id` is filled in once WhatsApp tells it.
   */
  findOrCreateByIdentity(identity: WhatsAppIdentity, profileName: string | null): Contact
  /** Contacts whose name, phone or email contains `q` (every contact when empty), by name. */
  search(q: string, limit: number): Contact[]
  /** A contact an agent enters by number (E.164 without the plus as `waId`). */
  create(input: NewContact): Contact
  /** Changes name, email and notes; undefined when there is no such contact. */
  update(id: string, changes: ContactChanges): Contact | undefined
  /**
   * The customer changed their number (or their business-scoped user id): the contact takes the
   * new `wa_id` (its phone follows) and/or `user_id`. A value another contact holds is left alone
   * (that contact stays who WhatsApp said it was); undefined when there is no such contact.
   */
  changeIdentity(id: string, identity: WhatsAppIdentity): Contact | undefined
}

/** Who a WhatsApp sender is: `wa_id` (their number) and/or the business-scoped `user_id`. */
export interface WhatsAppIdentity {
  waId: string | null
  userId: string | null
}

export interface NewContact {
  waId: string
  name: string
  email?: string | null
  notes?: string | null
}

/** What agents may edit on a contact (the number is the customer's identity and stays). */
export interface ContactChanges {
  name?: string
  email?: string | null
  notes?: string | null
}

export function createContactStore(db: Db): ContactStore {
  const byId = db.prepare<[string], ContactRow>('SELECT * FROM contacts WHERE id = ?')
  const byWa = db.prepare<[string], ContactRow>('SELECT * FROM contacts WHERE wa_id = ?')
  const byUser = db.prepare<[string], ContactRow>('SELECT * FROM contacts WHERE user_id = ?')
  const insertIdentity = db.prepare(
    `INSERT INTO contacts (id, wa_id, user_id, name, phone, created_at, updated_at)
     VALUES (@id, @waId, @userId, @name, @phone, @now, @now)`,
  )
  const update = db.prepare(
    `UPDATE contacts SET name = @name, wa_id = @waId, user_id = @userId, phone = @phone,
       updated_at = @now WHERE id = @id`,
  )
  const insert = db.prepare(
    `INSERT INTO contacts (id, wa_id, name, phone, created_at, updated_at)
     VALUES (@id, @waId, @name, @phone, @now, @now)`,
  )
  // Agents' contact editing and search (tickets and contacts API).
  const searchAll = db.prepare<[number], ContactRow>(
    'SELECT * FROM contacts ORDER BY name, id LIMIT ?',
  )
  const searchLike = db.prepare<[string, string, string, number], ContactRow>(
    `SELECT * FROM contacts
     WHERE name LIKE ? ESCAPE '\\' OR phone LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\'
     ORDER BY name, id LIMIT ?`,
  )
  const insertEntered = db.prepare(
    `INSERT INTO contacts (id, wa_id, name, phone, email, notes, created_at, updated_at)
     VALUES (@id, @waId, @name, @phone, @email, @notes, @now, @now)`,
  )
  // A name an agent sets is marked (name_edited_at) so profile names from webhooks leave it alone.
  const updateEdited = db.prepare(
    `UPDATE contacts SET name = @name, email = @email, notes = @notes, updated_at = @now,
       name_edited_at = CASE WHEN @name = name THEN name_edited_at ELSE @now END
     WHERE id = @id`,
  )
  return {
    search(q, limit) {
      const text = q.trim()
      if (!text) return searchAll.all(limit).map(toContact)
      const pattern = `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
      return searchLike.all(pattern, pattern, pattern, limit).map(toContact)
    },
    create(input) {
      const id = newId<ContactId>()
      insertEntered.run({
        id,
        waId: input.waId,
        name: input.name,
        phone: `+${input.waId}`,
        email: input.email ?? null,
        notes: input.notes ?? null,
        now: Date.now(),
      })
      return toContact(byId.get(id)!)
    },
    update(id, changes) {
      const row = byId.get(id)
      if (!row) return undefined
      updateEdited.run({
        id,
        name: changes.name ?? row.name,
        email: changes.email === undefined ? row.email : changes.email,
        notes: changes.notes === undefined ? row.notes : changes.notes,
        now: Date.now(),
      })
      return toContact(byId.get(id)!)
    },
    changeIdentity(id, identity) {
      const row = byId.get(id)
      if (!row) return undefined
      const freeWa = identity.waId && !byWa.get(identity.waId) ? identity.waId : null
      const freeUser = identity.userId && !byUser.get(identity.userId) ? identity.userId : null
      if (!freeWa && !freeUser) return toContact(row)
      update.run({
        id,
        name: row.name,
        waId: freeWa ?? row.wa_id,
        userId: freeUser ?? row.user_id,
        phone: freeWa ? `+${freeWa}` : row.phone,
        now: Date.now(),
      })
      return toContact(byId.get(id)!)
    },
    get: (id) => {
      const row = byId.get(id)
      return row && toContact(row)
    },
    findByIdentity({ waId, userId }) {
      const row = (waId ? byWa.get(waId) : undefined) ?? (userId ? byUser.get(userId) : undefined)
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
    findOrCreateByIdentity(identity, profileName) {
      const { waId, userId } = identity
      const row = (waId ? byWa.get(waId) : undefined) ?? (userId ? byUser.get(userId) : undefined)
      const now = Date.now()
      if (!row) {
        const id = newId<ContactId>()
        const phone = waId ? `+${waId}` : ''
        const name = profileName || phone || 'WhatsApp user'
        insertIdentity.run({ id, waId, userId, name, phone, now })
        return toContact(byId.get(id)!)
      }
      // A name an agent typed (name_edited_at, migration 007) wins over the profile name.
      const edited = (row as ContactRow & { name_edited_at?: number | null }).name_edited_at
      const next = {
        id: row.id,
        name: edited ? row.name : profileName || row.name,
        // Fill in what WhatsApp now tells, unless another contact already holds it.
        waId: row.wa_id ?? (waId && !byWa.get(waId) ? waId : null),
        userId: row.user_id ?? (userId && !byUser.get(userId) ? userId : null),
        phone: row.phone,
        now,
      }
      if (!next.phone && next.waId) next.phone = `+${next.waId}`
      if (
        next.name === row.name &&
        next.waId === row.wa_id &&
        next.userId === row.user_id &&
        next.phone === row.phone
      ) {
        return toContact(row)
      }
      update.run(next)
      return toContact(byId.get(row.id)!)
    },
  }
}
