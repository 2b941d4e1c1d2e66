/**
 * Agents and admins: who may sign in, with which role. Passwords are hashed with scrypt (salted,
 * parameters stored beside the hash) and never leave this file; every read returns an `Agent`.
 */
import crypto from 'node:crypto'
import type { Agent, AgentId, Role } from '@atende/shared'
import type { Db } from './db.js'

export type AccountErrorCode = 'agent_not_found' | 'email_taken' | 'last_admin'

/** A rule of the accounts table was broken; `code` says which. */
export class AccountError extends Error {
  override readonly name = 'AccountError'
  constructor(
    readonly code: AccountErrorCode,
    message: string,
  ) {
    super(message)
  }
}

export interface NewAccount {
  name: string
  email: string
  password: string
  role: Role
}

export interface AccountChanges {
  name?: string
  email?: string
  role?: Role
  active?: boolean
  password?: string
}

export interface Accounts {
  count(): number
  list(): Agent[]
  get(id: string): Agent | null
  findByEmail(email: string): Agent | null
  create(account: NewAccount): Promise<Agent>
  /** Applies the changes atomically; refuses any that would leave no active admin. */
  update(id: string, changes: AccountChanges): Promise<Agent>
  /** Deletes the agent (their sessions go with them); refuses to delete the last active admin. */
  remove(id: string): void
  /** The active agent with this email and password, else null; as slow for unknown emails. */
  verifyPassword(email: string, password: string): Promise<Agent | null>
}

// scrypt cost: N=2^14, r=8, p=1 is about 16 MiB and a few tens of milliseconds per hash.
const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 64, saltLength: 16 }
const AVATAR_COLORS = ['#2563eb', '#16a34a', '#db2777', '#ea580c', '#7c3aed', '#0891b2', '#ca8a04']

function scrypt(
  password: string,
  salt: Buffer,
  N: number,
  r: number,
  p: number,
  keyLength: number,
) {
  return new Promise<Buffer>((resolve, reject) => {
    const maxmem = 256 * N * r + 1024 * 1024
    crypto.scrypt(password.normalize('NFKC'), salt, keyLength, { N, r, p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    )
  })
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltLength } = SCRYPT
  const salt = crypto.randomBytes(saltLength)
  const key = await scrypt(password, salt, N, r, p, keyLength)
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** Compares in constant time; false for a malformed stored hash rather than throwing. */
export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  try {
    const key = await scrypt(
      password,
      Buffer.from(salt, 'base64url'),
      Number(n),
      Number(r),
      Number(p),
      expected.length,
    )
    return crypto.timingSafeEqual(key, expected)
  } catch {
    return false
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

interface AgentRow {
  id: string
  name: string
  email: string
  role: Role
  active: number
  password_hash: string
}

const COLUMNS = 'id, name, email, role, active'

function toAgent(row: Omit<AgentRow, 'password_hash'>): Agent {
  return {
    id: row.id as AgentId,
    name: row.name,
    email: row.email,
    role: row.role,
    active: row.active === 1,
  }
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'
}

export function createAccounts(db: Db): Accounts {
  const byId = db.prepare<[string], AgentRow>(
    `SELECT ${COLUMNS}, password_hash FROM agents WHERE id = ?`,
  )
  const byEmail = db.prepare<[string], AgentRow>(
    `SELECT ${COLUMNS}, password_hash FROM agents WHERE email = ?`,
  )
  const activeAdmins = db.prepare<[], { n: number }>(
    "SELECT count(*) AS n FROM agents WHERE role = 'admin' AND active = 1",
  )
  // Spent on unknown emails so that a miss takes as long as a wrong password.
  const decoy = hashPassword(crypto.randomBytes(16).toString('hex'))

  const mustGet = (id: string): AgentRow => {
    const row = byId.get(id)
    if (!row) throw new AccountError('agent_not_found', 'No agent with this id')
    return row
  }
  const guardLastAdmin = () => {
    if (activeAdmins.get()!.n === 0) {
      throw new AccountError('last_admin', 'This would leave the team without an active admin')
    }
  }

  return {
    count: () => db.prepare<[], { n: number }>('SELECT count(*) AS n FROM agents').get()!.n,

    list: () =>
      db
        .prepare<[], AgentRow>(`SELECT ${COLUMNS} FROM agents ORDER BY name COLLATE NOCASE, email`)
        .all()
        .map(toAgent),

    get: (id) => {
      const row = byId.get(id)
      return row ? toAgent(row) : null
    },

    findByEmail: (email) => {
      const row = byEmail.get(normalizeEmail(email))
      return row ? toAgent(row) : null
    },

    async create(account) {
      const id = crypto.randomUUID()
      const now = Date.now()
      const passwordHash = await hashPassword(account.password)
      const color = AVATAR_COLORS[crypto.randomInt(AVATAR_COLORS.length)]!
      try {
        db.prepare(
          `INSERT INTO agents (id, name, email, role, active, password_hash, avatar_color, created_at, updated_at)
           VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)`,
        ).run(
          id,
          account.name.trim(),
          normalizeEmail(account.email),
          account.role,
          passwordHash,
          color,
          now,
          now,
        )
      } catch (err) {
        if (isUniqueViolation(err))
          throw new AccountError('email_taken', 'An agent with this email already exists')
        throw err
      }
      return toAgent(mustGet(id))
    },

    async update(id, changes) {
      mustGet(id)
      const passwordHash =
        changes.password === undefined ? undefined : await hashPassword(changes.password)
      const sets: string[] = []
      const values: (string | number)[] = []
      const set = (column: string, value: string | number) => {
        sets.push(`${column} = ?`)
        values.push(value)
      }
      if (changes.name !== undefined) set('name', changes.name.trim())
      if (changes.email !== undefined) set('email', normalizeEmail(changes.email))
      if (changes.role !== undefined) set('role', changes.role)
      if (changes.active !== undefined) set('active', changes.active ? 1 : 0)
      if (passwordHash !== undefined) set('password_hash', passwordHash)
      if (sets.length === 0) return toAgent(mustGet(id))
      set('updated_at', Date.now())
      try {
        db.transaction(() => {
          const { changes: updated } = db
            .prepare(`UPDATE agents SET ${sets.join(', ')} WHERE id = ?`)
            .run(...values, id)
          if (updated === 0) throw new AccountError('agent_not_found', 'No agent with this id')
          guardLastAdmin()
        })()
      } catch (err) {
        if (isUniqueViolation(err))
          throw new AccountError('email_taken', 'An agent with this email already exists')
        throw err
      }
      return toAgent(mustGet(id))
    },

    remove(id) {
      db.transaction(() => {
        const { changes } = db.prepare('DELETE FROM agents WHERE id = ?').run(id)
        if (changes === 0) throw new AccountError('agent_not_found', 'No agent with this id')
        guardLastAdmin()
      })()
    },

    async verifyPassword(email, password) {
      const row = byEmail.get(normalizeEmail(email))
      if (!row) {
        await checkPassword(password, await decoy)
        return null
      }
      const ok = await checkPassword(password, row.password_hash)
      return ok && row.active === 1 ? toAgent(row) : null
    },
  }
}
