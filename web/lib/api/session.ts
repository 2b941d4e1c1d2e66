import type { AgentId, Role } from '@atende/shared'
import { readJson, request, type Fetch } from './http'

/** The signed-in agent, as `/api/me` and `/api/auth/login` return them. */
export interface SessionUser {
  id: AgentId
  name: string
  email: string
  role: Role
}

export type LoginResult =
  | { ok: true; user: SessionUser }
  | { ok: false; reason: 'wrong_credentials' | 'too_many_attempts' | 'unreachable' | 'unexpected' }

/** POST /api/auth/login. The server answers with the session cookie; the token is not kept here. */
export async function postLogin(
  fetchFn: Fetch,
  email: string,
  password: string,
): Promise<LoginResult> {
  let response: Response
  try {
    response = await request(fetchFn, '/api/auth/login', {
      method: 'POST',
      json: { email, password },
    })
  } catch {
    return { ok: false, reason: 'unreachable' }
  }
  if (response.status === 401) return { ok: false, reason: 'wrong_credentials' }
  if (response.status === 429) return { ok: false, reason: 'too_many_attempts' }
  const body = response.ok ? await readJson<{ user?: SessionUser }>(response) : null
  // 502-504 come from a proxy in front of a server that is down.
  if (!body?.user)
    return {
      ok: false,
      reason: [502, 503, 504].includes(response.status) ? 'unreachable' : 'unexpected',
    }
  return { ok: true, user: body.user }
}

/** POST /api/auth/logout; throws `UnreachableError` when the server did not get it. */
export async function postLogout(fetchFn: Fetch): Promise<void> {
  const response = await request(fetchFn, '/api/auth/logout', { method: 'POST' })
  // A 401 means the session was already gone: signed out either way.
  if (!response.ok && response.status !== 401)
    throw new Error(`Sign-out failed: ${response.status}`)
}

export type MeResult =
  { status: 'signed-in'; user: SessionUser } | { status: 'signed-out' } | { status: 'unreachable' }

/** GET /api/me: who the session cookie belongs to. */
export async function getMe(fetchFn: Fetch): Promise<MeResult> {
  let response: Response
  try {
    response = await request(fetchFn, '/api/me')
  } catch {
    return { status: 'unreachable' }
  }
  if (response.status === 401) return { status: 'signed-out' }
  const body = response.ok ? await readJson<{ user?: SessionUser }>(response) : null
  return body?.user ? { status: 'signed-in', user: body.user } : { status: 'unreachable' }
}

export interface Health {
  ok: boolean
  /** No WhatsApp credentials: messages go to the built-in simulator. */
  demo: boolean
  version: string
}

/** GET /healthz, or null when the server cannot be reached. */
export async function getHealth(fetchFn: Fetch): Promise<Health | null> {
  try {
    const response = await request(fetchFn, '/healthz')
    return response.ok ? await readJson<Health>(response) : null
  } catch {
    return null
  }
}
