import { getMe, postLogin, postLogout, type LoginResult } from '$lib/api/session'
import { forgetUser, rememberUser } from '$lib/api/session-cache'

/** Signs in with email and password; on success the agent is remembered for offline starts. */
export async function signIn(email: string, password: string): Promise<LoginResult> {
  const result = await postLogin(fetch, email.trim(), password)
  if (result.ok) rememberUser(result.user)
  return result
}

/**
 * Signs out on the server, then forgets the agent locally. Throws when the server could not be
 * told: quietly "signing out" only in this tab would leave the session cookie valid.
 */
export async function signOut(): Promise<void> {
  await postLogout(fetch)
  forgetUser()
}

/**
 * Asks the server whether this browser's session still holds (after the sync socket was closed as
 * unauthorized). An unreachable server counts as yes: offline is not signed out. A no forgets the
 * agent on this device.
 */
export async function confirmSession(): Promise<boolean> {
  const me = await getMe(fetch)
  if (me.status === 'signed-in') rememberUser(me.user)
  if (me.status !== 'signed-out') return true
  forgetUser()
  return false
}
