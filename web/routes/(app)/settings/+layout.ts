/**
 * Settings are for admins. An agent gets the refusal from the layout, and every page's load asks
 * `admin-load.ts` first, so an agent's browser requests no settings data at all.
 */
export async function load({ parent }) {
  const { user } = await parent()
  return { admin: user.role === 'admin' }
}
