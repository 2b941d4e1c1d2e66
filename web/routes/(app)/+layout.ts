import { redirect } from '@sveltejs/kit'
import { resolve } from '$app/paths'
import { forgetUser, rememberUser, rememberedUser } from '$lib/api/session-cache'
import { getHealth, getMe, type SessionUser } from '$lib/api/session'
import { loginPath } from '$lib/routing'
import { demoMode } from '$lib/state/demo-mode'

/**
 * Every page of the signed-in area needs a session. The server is asked (`/api/me`); a 401 sends
 * the visitor to /login. When the server cannot be reached at all, the agent last signed in on this
 * device carries on with the local copy (local-first), and the socket re-checks the session later;
 * the demo badge then shows the mode last heard from the server.
 */
export async function load({ fetch, url, untrack }): Promise<{ user: SessionUser; demo: boolean }> {
  const [me, health] = await Promise.all([getMe(fetch), getHealth(fetch)])
  // Only the path at first load matters for `next`; do not re-run this on every navigation.
  const from = untrack(() => new URL(url))

  if (me.status === 'signed-in') {
    rememberUser(me.user)
    return { user: me.user, demo: demoMode(health) }
  }
  if (me.status === 'unreachable') {
    const user = rememberedUser()
    if (user) return { user, demo: demoMode(health) }
  } else {
    forgetUser()
  }
  redirect(307, loginPath(resolve('/login'), from))
}
