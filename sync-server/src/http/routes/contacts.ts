/**
 * `/api/contacts`: customers, for every signed-in agent.
 *
 *   GET   /?q=    → { contacts } (name, phone or email containing q; at most 50)
 *   GET   /:id    → { contact, conversations, tickets } (the latest of each)
 *   POST  /       { phone (E.164), name?, email?, notes? } → 201 { contact }; 409 if the number is known
 *   PATCH /:id    { name?, email?, notes? } → { contact }; a new name shows in the live conversation
 */
import { Hono } from 'hono'
import * as v from 'valibot'
import { contactDetail, createContact, updateContact } from '../../lifecycle/contact.js'
import { createLifecycleDeps, type LifecycleDeps } from '../../lifecycle/events.js'
import type { AuthEnv } from '../middleware/auth.js'
import { Email, readJson } from '../validate.js'
import { E164 } from './conversations.js'
import { idParam, lifecycleErrors, type LifecycleRoutesOptions } from './lifecycle.js'

const ContactName = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(120, 'must be at most 120 characters'),
)
/** An email, or null / an empty string to clear it. */
const OptionalEmail = v.nullish(
  v.union([v.pipe(v.string(), v.trim(), v.empty()), Email], 'must be an email address'),
)
const Notes = v.nullish(
  v.pipe(v.string('must be a string'), v.maxLength(5000, 'must be at most 5000 characters')),
)

const NewContactBody = v.object({
  phone: E164,
  name: v.optional(ContactName),
  email: OptionalEmail,
  notes: Notes,
})

const ContactChangesBody = v.pipe(
  v.object({ name: v.optional(ContactName), email: OptionalEmail, notes: Notes }),
  v.check(
    (body) => body.name !== undefined || body.email !== undefined || body.notes !== undefined,
    'Give at least one of name, email, notes',
  ),
)

/** Empty strings clear a field: stored as null. */
const orNull = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null || value.trim() === '' ? null : value

/** Mount at `/contacts` behind `requireSession`. */
export function contactRoutes(options: LifecycleRoutesOptions | LifecycleDeps): Hono<AuthEnv> {
  const deps = 'transcripts' in options ? options : createLifecycleDeps(options)
  const contact = (id: string) => idParam(id, 'contact_not_found', 'contact')

  return new Hono<AuthEnv>()
    .onError(lifecycleErrors(deps.log))

    .get('/', (c) =>
      c.json({ contacts: deps.contacts.search((c.req.query('q') ?? '').slice(0, 200), 50) }),
    )

    .get('/:id', (c) => c.json(contactDetail(deps, contact(c.req.param('id')))))

    .post('/', async (c) => {
      const body = await readJson(c, NewContactBody)
      const created = createContact(deps, {
        waId: body.phone.slice(1),
        name: body.name ?? body.phone,
        email: orNull(body.email) ?? null,
        notes: orNull(body.notes) ?? null,
      })
      deps.log.info('contact created', { contactId: created.id, by: c.get('actor').id })
      return c.json({ contact: created }, 201)
    })

    .patch('/:id', async (c) => {
      const id = contact(c.req.param('id'))
      const body = await readJson(c, ContactChangesBody)
      const updated = updateContact(deps, id, {
        name: body.name,
        email: orNull(body.email),
        notes: orNull(body.notes),
      })
      return c.json({ contact: updated })
    })
}
