/**
 * Message templates: admins register them (the same name and language as approved on Meta's side),
 * every signed-in agent lists them and sends one, the only thing WhatsApp allows outside the
 * 24-hour window and the way an agent starts a conversation. Admins' changes go to the audit log.
 */
import { isUuid, newId, type AgentId, type AgentMessage, type MessageId } from '@atende/shared'
import { Hono } from 'hono'
import * as v from 'valibot'
import { ApiError } from '../../http/errors.js'
import { requireAdmin, type AuthEnv } from '../../http/middleware/auth.js'
import { readJson } from '../../http/validate.js'
import type { AuditLog } from '../../store/audit.js'
import { TemplateConflict, TEMPLATE_CATEGORIES, type TemplateStore } from '../../store/templates.js'
import type { DocManager } from '../../sync/docs.js'
import { appendAgentMessage, conversationDoc } from './conversation-doc.js'

const PLACEHOLDER = /\{\{(\d+)\}\}/g
/** Meta's limits: body up to 1024 characters, parameters without newlines, tabs or 5+ spaces. */
const MAX_BODY = 1024
const MAX_PARAM = 1024

/** How many parameters a body takes; null unless they are exactly `{{1}}` … `{{n}}`. */
export function parameterCount(body: string): number | null {
  const seen = new Set<number>()
  for (const match of body.matchAll(PLACEHOLDER)) seen.add(Number(match[1]))
  for (let i = 1; i <= seen.size; i++) if (!seen.has(i)) return null
  return seen.size
}

/** The body with `{{k}}` replaced by `params[k - 1]`: the text agents read in the conversation. */
export function renderTemplate(body: string, params: readonly string[]): string {
  return body.replace(PLACEHOLDER, (whole, index: string) => params[Number(index) - 1] ?? whole)
}

const Name = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.regex(
    /^[a-z0-9_]{1,512}$/,
    'must be lowercase letters, digits and underscores, as on WhatsApp',
  ),
)
const Language = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.regex(/^[a-z]{2,3}(_[A-Z]{2,4})?$/, 'must be a WhatsApp language code like pt_BR or en_US'),
)
const Category = v.pipe(
  v.string('must be a string'),
  v.toUpperCase(),
  v.picklist(TEMPLATE_CATEGORIES, 'must be marketing, utility or authentication'),
)
const Body = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(MAX_BODY, `must be at most ${MAX_BODY} characters`),
  v.check(
    (body) => parameterCount(body) !== null,
    'parameters must be numbered {{1}}, {{2}}… without gaps',
  ),
)
const CreateTemplate = v.object({ name: Name, language: Language, category: Category, body: Body })
const UpdateTemplate = v.partial(CreateTemplate)
const Param = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(MAX_PARAM, `must be at most ${MAX_PARAM} characters`),
  v.regex(
    /^(?![\s\S]*[\n\t]|[\s\S]* {5})/,
    'must not contain newlines, tabs or five spaces in a row',
  ),
)
const SendTemplate = v.object({
  name: Name,
  language: Language,
  params: v.optional(v.array(Param, 'must be a list of texts'), []),
  clientMessageId: v.optional(
    v.pipe(
      v.string(),
      v.check((id: string) => isUuid(id), 'must be a uuid'),
    ),
  ),
  replyTo: v.optional(
    v.pipe(
      v.string(),
      v.check((id: string) => isUuid(id), 'must be a message id'),
    ),
  ),
})

function conflict<T>(change: () => T): T {
  try {
    return change()
  } catch (err) {
    if (err instanceof TemplateConflict) throw new ApiError(409, err.code, err.message)
    throw err
  }
}

/** `/templates`: list (any signed-in agent), create, change, delete (admins only, audited). */
export function templateRoutes(deps: { templates: TemplateStore; audit?: AuditLog }) {
  const { templates, audit } = deps
  const app = new Hono<AuthEnv>()
  app.get('/', (c) => c.json({ templates: templates.list() }))
  app.post('/', requireAdmin(), async (c) => {
    const fields = await readJson(c, CreateTemplate)
    const template = conflict(() => templates.create(fields))
    const { name, language, category } = template
    audit?.record(c.get('actor'), 'template.create', template.id, { name, language, category })
    return c.json({ template }, 201)
  })
  app.patch('/:templateId', requireAdmin(), async (c) => {
    const fields = await readJson(c, UpdateTemplate)
    const template = conflict(() => templates.update(c.req.param('templateId'), fields))
    if (!template) throw new ApiError(404, 'template_not_found', 'There is no such template')
    audit?.record(c.get('actor'), 'template.update', template.id, {
      name: template.name,
      language: template.language,
      fields: Object.keys(fields).filter((key) => fields[key as keyof typeof fields] !== undefined),
    })
    return c.json({ template })
  })
  app.delete('/:templateId', requireAdmin(), (c) => {
    const id = c.req.param('templateId')
    const before = templates.list().find((template) => template.id === id)
    if (!templates.remove(id)) {
      throw new ApiError(404, 'template_not_found', 'There is no such template')
    }
    audit?.record(c.get('actor'), 'template.delete', id, {
      name: before?.name ?? null,
      language: before?.language ?? null,
    })
    return c.body(null, 204)
  })
  return app
}

/**
 * `POST /conversations/:id/template`: appends an agent message carrying the template (text = the
 * rendered body) in the agent's name; the outbox picks it up like any agent message. A new
 * conversation an agent starts (POST /conversations) is followed by this call.
 */
export function templateSendRoutes(deps: {
  templates: TemplateStore
  docs: Pick<DocManager, 'get'>
}) {
  const app = new Hono<AuthEnv>()
  app.post('/conversations/:id/template', async (c) => {
    const shared = conversationDoc(deps.docs, c.req.param('id'))
    const body = await readJson(c, SendTemplate)
    const template = deps.templates.find(body.name, body.language)
    if (!template) {
      throw new ApiError(
        404,
        'template_not_found',
        `No template ${body.name} is registered in ${body.language}`,
      )
    }
    const expected = parameterCount(template.body) ?? 0
    if (body.params.length !== expected) {
      throw new ApiError(
        400,
        'invalid_body',
        `params: the template takes ${expected} parameter(s), got ${body.params.length}`,
      )
    }
    const message: AgentMessage = {
      id: (body.clientMessageId?.toLowerCase() ?? newId()) as MessageId,
      kind: 'agent',
      authorId: c.get('actor').id as AgentId,
      text: renderTemplate(template.body, body.params),
      createdAt: Date.now(),
      template: { name: template.name, language: template.language, params: body.params },
      ...(body.replyTo ? { replyTo: body.replyTo.toLowerCase() as MessageId } : {}),
    }
    const appended = appendAgentMessage(shared, message)
    return c.json({ message: appended.message }, appended.created ? 201 : 200)
  })
  return app
}
