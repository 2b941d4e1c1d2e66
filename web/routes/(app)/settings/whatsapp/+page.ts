import { getSettings } from '$lib/api/settings'
import { loadForAdmin } from '../admin-load'

export async function load({ parent, fetch }) {
  return { settings: await loadForAdmin(parent, () => getSettings(fetch)) }
}
