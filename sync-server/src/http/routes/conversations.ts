import { Hono } from 'hono'
import * as v from 'valibot'
import { openConversation, type ConversationDeps } from '../../lifecycle/conversations.js'
import type { ContactStore } from '../../store/contacts.js'
import type { AuthEnv } from '../middleware/auth.js'
import { readJson } from '../validate.js'

/** E.164: a plus, a non-zero country digit, at most 15 digits in all. */
export const E164 = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.regex(
    /^\+[1-9]\d{6,14}$/,
    'must be a phone number in international format, like +5511987654321',
  ),
)

const StartConversation = v.object({
  phone: E164,
  name: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(120))),
})

export interface ConversationRouteDeps extends ConversationDeps {
  contacts: ContactStore
}

/** `/api/conversations`: lifecycle actions on conversations (the server is the authority). */
export function conversationRoutes(deps: ConversationRouteDeps) {
  const app = new Hono<AuthEnv>()

  // Start (or find) the live conversation with a number, as "New conversation" does.
  app.post('/', async (c) => {
    const body = await readJson(c, StartConversation)
    const waId = body.phone.slice(1)
    const contact = deps.contacts.findOrCreateByWaId(waId, body.name ?? body.phone)
    const { conversation, created } = openConversation(deps, contact, {
      assigneeId: c.get('actor').id,
    })
    return c.json({ conversation }, created ? 201 : 200)
  })

  return app
}
