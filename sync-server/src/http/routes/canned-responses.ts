/**
 * `/api/canned-responses`: saved texts agents pick in the composer. Any signed-in agent lists and
 * creates them; only the author or an admin changes or deletes one.
 *
 *   GET    /?q=   → { cannedResponses } (title or text containing q, any case)
 *   POST   /      { title, text, kind: 'public' | 'internal' } → 201 { cannedResponse }
 *   PATCH  /:id   { title?, text?, kind? } → { cannedResponse }; 403 unless author or admin
 *   DELETE /:id   → 204; 403 unless author or admin
 *
 * The text may hold named placeholders (`{{contact.name}}`, `{{nome}}` …, `shared/src/model/
 * placeholders.ts`), filled in by the composer; an unknown one is a 400 `unknown_placeholder`
 * naming it, so it can never go out to a customer as written.
 *
 * What an admin does here goes to the audit log (`canned_response.*`: title and kind, never the text).
 */
import { PLACEHOLDER_KEYS, unknownPlaceholders, type Actor } from '@atende/shared'
import { Hono } from 'hono'
import * as v from 'valibot'
import {
  CANNED_RESPONSE_KINDS,
  createCannedResponseStore,
  type CannedResponse,
  type CannedResponseStore,
} from '../../store/canned-responses.js'
import type { AuditLog } from '../../store/audit.js'
import type { Db } from '../../store/db.js'
import { ApiError } from '../errors.js'
import type { AuthEnv } from '../middleware/auth.js'
import { readJson } from '../validate.js'

/** WhatsApp's limit on a text message's body. */
export const MAX_CANNED_TEXT = 4096

const Title = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(100, 'must be at most 100 characters'),
)
const Text = v.pipe(
  v.string('must be a string'),
  v.check((text: string) => text.trim().length > 0, 'must not be empty'),
  v.maxLength(MAX_CANNED_TEXT, `must be at most ${MAX_CANNED_TEXT} characters`),
)
const Kind = v.picklist(CANNED_RESPONSE_KINDS, "must be 'public' or 'internal'")
const CreateCannedResponse = v.object({ title: Title, text: Text, kind: Kind })
const UpdateCannedResponse = v.pipe(
  v.partial(CreateCannedResponse),
  v.check(
    (body) => body.title !== undefined || body.text !== undefined || body.kind !== undefined,
    'Give at least one of title, text, kind',
  ),
)

/** The canned response, when the actor may change it: 404 when there is none, 403 if not theirs. */
function ownedBy(store: CannedResponseStore, id: string, actor: Actor): CannedResponse {
  const cannedResponse = store.get(id)
  if (!cannedResponse) {
    throw new ApiError(404, 'canned_response_not_found', 'There is no such canned response')
  }
  if (cannedResponse.createdBy !== actor.id && actor.role !== 'admin') {
    throw new ApiError(403, 'forbidden', 'Only its author or an admin can change this')
  }
  return cannedResponse
}

/** Refuses a text with a placeholder that nothing fills in. */
function checkPlaceholders(text: string | undefined): void {
  const unknown = unknownPlaceholders(text ?? '')
  if (unknown.length === 0) return
  throw new ApiError(
    400,
    'unknown_placeholder',
    `Unknown placeholder ${unknown.join(', ')}: use one of ${PLACEHOLDER_KEYS.map((key) => `{{${key}}}`).join(', ')}`,
  )
}

/** Mount at `/canned-responses` behind `requireSession`. */
export function cannedResponseRoutes(deps: { db: Db; audit?: AuditLog }): Hono<AuthEnv> {
  const store = createCannedResponseStore(deps.db)
  const app = new Hono<AuthEnv>()
  const audited = (
    actor: Actor,
    action: 'create' | 'update' | 'delete',
    cannedResponse: CannedResponse,
    details: Record<string, unknown> = {},
  ) => {
    if (actor.role !== 'admin') return
    const { id, title, kind } = cannedResponse
    deps.audit?.record(actor, `canned_response.${action}`, id, { title, kind, ...details })
  }
  app.get('/', (c) =>
    c.json({ cannedResponses: store.list((c.req.query('q') ?? '').slice(0, 200)) }),
  )
  app.post('/', async (c) => {
    const fields = await readJson(c, CreateCannedResponse)
    checkPlaceholders(fields.text)
    const cannedResponse = store.create(fields, c.get('actor').id)
    audited(c.get('actor'), 'create', cannedResponse)
    return c.json({ cannedResponse }, 201)
  })
  app.patch('/:id', async (c) => {
    const { id } = ownedBy(store, c.req.param('id'), c.get('actor'))
    const fields = await readJson(c, UpdateCannedResponse)
    checkPlaceholders(fields.text)
    const cannedResponse = store.update(id, fields)!
    audited(c.get('actor'), 'update', cannedResponse, {
      fields: Object.keys(fields).filter((key) => fields[key as keyof typeof fields] !== undefined),
    })
    return c.json({ cannedResponse })
  })
  app.delete('/:id', (c) => {
    const cannedResponse = ownedBy(store, c.req.param('id'), c.get('actor'))
    store.remove(cannedResponse.id)
    audited(c.get('actor'), 'delete', cannedResponse)
    return c.body(null, 204)
  })
  return app
}
