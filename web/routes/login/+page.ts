import { redirect } from '@sveltejs/kit'
import { resolve } from '$app/paths'
import { getMe } from '$lib/api/session'
import { safeNextPath } from '$lib/routing'

/** Someone already signed in has nothing to do here: send them on. */
export async function load({ fetch, url }) {
  const me = await getMe(fetch)
  if (me.status === 'signed-in') {
    redirect(307, safeNextPath(url.searchParams.get('next')) ?? resolve('/inbox'))
  }
}
