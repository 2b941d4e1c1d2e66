/**
 * The last signed-in agent, remembered on this device so the app can open without the network
 * (local-first: the inbox is in IndexedDB). Only who the agent is, never a token: the session
 * itself stays in the HttpOnly cookie. Forgotten at sign-out and whenever the server says 401.
 */
import type { SessionUser } from './session'

const KEY = 'atende.session-user'

export function rememberUser(user: SessionUser): void {
  try {
    localStorage.setItem(
      KEY,
      JSON.stringify({ id: user.id, name: user.name, email: user.email, role: user.role }),
    )
  } catch {
    // Without storage the app simply needs the network to start.
  }
}

export function rememberedUser(): SessionUser | null {
  try {
    const raw = localStorage.getItem(KEY)
    if (!raw) return null
    const user = JSON.parse(raw) as Partial<SessionUser>
    return typeof user.id === 'string' && typeof user.name === 'string'
      ? (user as SessionUser)
      : null
  } catch {
    return null
  }
}

export function forgetUser(): void {
  try {
    localStorage.removeItem(KEY)
  } catch {
    // Nothing to forget.
  }
}
