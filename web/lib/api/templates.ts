import { callApi, type Fetch } from './http'

/**
 * Message templates as admins register them (same name and language as approved on Meta's side).
 * The composer's lenient read of the list is `getTemplates` in `./conversations`.
 */

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number]

export interface RegisteredTemplate {
  id: string
  name: string
  /** WhatsApp language code, e.g. pt_BR. */
  language: string
  category: TemplateCategory
  /** With `{{1}}`, `{{2}}`… parameters. */
  body: string
  createdAt: number
  updatedAt: number
}

export type TemplateFields = Pick<RegisteredTemplate, 'name' | 'language' | 'category' | 'body'>

const templatePath = (id: string) => `/api/templates/${encodeURIComponent(id)}`

/** GET /api/templates, by name and language. */
export async function listTemplates(fetchFn: Fetch): Promise<RegisteredTemplate[]> {
  return (await callApi<{ templates: RegisteredTemplate[] }>(fetchFn, '/api/templates')).templates
}

/** POST /api/templates (admins); 409 `template_exists` for a taken name and language. */
export async function createTemplate(
  fetchFn: Fetch,
  fields: TemplateFields,
): Promise<RegisteredTemplate> {
  const body = await callApi<{ template: RegisteredTemplate }>(fetchFn, '/api/templates', {
    method: 'POST',
    json: fields,
  })
  return body.template
}

/** PATCH /api/templates/:id (admins). */
export async function updateTemplate(
  fetchFn: Fetch,
  id: string,
  fields: Partial<TemplateFields>,
): Promise<RegisteredTemplate> {
  const body = await callApi<{ template: RegisteredTemplate }>(fetchFn, templatePath(id), {
    method: 'PATCH',
    json: fields,
  })
  return body.template
}

/** DELETE /api/templates/:id (admins). */
export async function deleteTemplate(fetchFn: Fetch, id: string): Promise<void> {
  await callApi<null>(fetchFn, templatePath(id), { method: 'DELETE' })
}
