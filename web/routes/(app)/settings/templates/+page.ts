import { listTemplates } from '$lib/api/templates'
import { loadForAdmin } from '../admin-load'

export async function load({ parent, fetch }) {
  return { templates: await loadForAdmin(parent, () => listTemplates(fetch)) }
}
