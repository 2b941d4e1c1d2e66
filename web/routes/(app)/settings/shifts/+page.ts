import { getShifts } from '$lib/api/settings'
import { loadForAdmin } from '../admin-load'

export async function load({ parent, fetch }) {
  return { shifts: await loadForAdmin(parent, () => getShifts(fetch)) }
}
