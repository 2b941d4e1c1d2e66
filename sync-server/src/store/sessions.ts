/**
 * Server-side sessions. A token is 32 random bytes (base64url) handed to the client once; only its
 * sha256 is stored, so a copy of the database signs nobody in. Sessions expire after a sliding
 * window of inactivity and are revoked one by one (sign-out) or all at once for an agent.
 */
import crypto from 'node:crypto'
import type { Actor, AgentId, Role } from '@atende/shared'
import type { Db } from './db.js'

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000
// Sliding expiry is written at most this often per session, not on every request.
const TOUCH_INTERVAL_MS = 60 * 60 * 1000
const TOKEN = /^[A-Za-z0-9_-]{43}$/

export interface SessionsOptions {
  ttlMs?: number
  now?: () => number
}

export interface ResolvedSession {
  actor: Actor
  /** True when this use pushed the expiry forward, so a cookie carrying the token may be renewed. */
  renewed: boolean
}

export interface Sessions {
  /** Opens a session and returns its token: the only time the token exists in clear. */
  create(agentId: string): string
  resolve(token: string): ResolvedSession | null
  /** The active agent a live token belongs to, else null. Synchronous, for the sync service. */
  authenticate(token: string): Actor | null
  revoke(token: string): void
  /** Revokes every session of an agent, except optionally the one holding `keepToken`. */
  revokeAgent(agentId: string, keepToken?: string): number
  readonly ttlMs: number
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('base64url')
}

interface SessionRow {
  agent_id: string
  role: Role
  active: number
  last_seen_at: number
  expires_at: number
}

export function createSessions(db: Db, options: SessionsOptions = {}): Sessions {
  const ttlMs = options.ttlMs ?? SESSION_TTL_MS
  const now = options.now ?? Date.now
  const insert = db.prepare(
    'INSERT INTO sessions (token_hash, agent_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)',
  )
  const select = db.prepare<[string], SessionRow>(
    `SELECT s.agent_id, a.role, a.active, s.last_seen_at, s.expires_at
     FROM sessions s JOIN agents a ON a.id = s.agent_id WHERE s.token_hash = ?`,
  )
  const touch = db.prepare(
    'UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?',
  )
  const remove = db.prepare('DELETE FROM sessions WHERE token_hash = ?')
  const purge = db.prepare('DELETE FROM sessions WHERE expires_at <= ?')

  const resolve = (token: string): ResolvedSession | null => {
    if (!TOKEN.test(token)) return null
    const hash = hashToken(token)
    const row = select.get(hash)
    if (!row) return null
    const at = now()
    if (row.expires_at <= at) {
      remove.run(hash)
      return null
    }
    if (row.active !== 1) return null
    const renewed = at - row.last_seen_at >= TOUCH_INTERVAL_MS
    if (renewed) touch.run(at, at + ttlMs, hash)
    return { actor: { id: row.agent_id as AgentId, role: row.role }, renewed }
  }

  return {
    ttlMs,
    create(agentId) {
      const token = crypto.randomBytes(32).toString('base64url')
      const at = now()
      purge.run(at)
      insert.run(hashToken(token), agentId, at, at, at + ttlMs)
      return token
    },
    resolve,
    authenticate: (token) => resolve(token)?.actor ?? null,
    revoke(token) {
      remove.run(hashToken(token))
    },
    revokeAgent(agentId, keepToken) {
      const keep = keepToken === undefined ? '' : hashToken(keepToken)
      return db
        .prepare('DELETE FROM sessions WHERE agent_id = ? AND token_hash <> ?')
        .run(agentId, keep).changes
    },
  }
}
