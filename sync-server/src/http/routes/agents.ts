/**
 * The team: every signed-in user may list it; only admins add, change or remove agents. Taking
 * access away (deactivate, delete, new password, new role) ends the agent's sessions or sockets at
 * once, so the change holds on devices that are already signed in. Admins' changes go to the audit
 * log (`agent.create|update|delete`; a new password only as `passwordReset: true`). A new role
 * revokes every session of that agent, so they sign in again on each device.
 */
import { Hono } from 'hono'
import * as v from 'valibot'
import { isUuid, type Agent } from '@atende/shared'
import type { Logger } from '../../log.js'
import type { Accounts } from '../../store/accounts.js'
import type { AuditLog } from '../../store/audit.js'
import type { Sessions } from '../../store/sessions.js'
import type { SyncService } from '../../sync/service.js'
import { ApiError } from '../errors.js'
import { requireAdmin, type AuthEnv } from '../middleware/auth.js'
import { Email, Name, Password, readJson, RoleSchema } from '../validate.js'

export interface AgentsRoutesOptions {
  accounts: Accounts
  sessions: Sessions
  sync: Pick<SyncService, 'disconnectAgent'>
  log: Logger
  audit?: AuditLog
}

const NewAgentBody = v.object({ name: Name, email: Email, password: Password, role: RoleSchema })

const AgentChangesBody = v.pipe(
  v.object({
    name: v.optional(Name),
    email: v.optional(Email),
    role: v.optional(RoleSchema),
    active: v.optional(v.boolean('must be true or false')),
    password: v.optional(Password),
  }),
  v.check(
    (body) => Object.values(body).some((value) => value !== undefined),
    'Give at least one of name, email, role, active, password',
  ),
)

/** The public face of an agent: never the password hash. */
function view(agent: Agent) {
  const { id, name, email, role, active } = agent
  return { id, name, email, role, active }
}

function agentId(id: string): string {
  if (!isUuid(id)) throw new ApiError(404, 'agent_not_found', 'No agent with this id')
  return id
}

/** Mount at `/agents` behind `requireSession`. */
export function agentsRoutes(options: AgentsRoutesOptions): Hono<AuthEnv> {
  const { accounts, sessions, sync, log, audit } = options
  const admin = requireAdmin()

  return new Hono<AuthEnv>()
    .get('/', (c) => c.json({ agents: accounts.list().map(view) }))

    .post('/', admin, async (c) => {
      const body = await readJson(c, NewAgentBody)
      const agent = await accounts.create(body)
      log.info('agent created', { agentId: agent.id, role: agent.role, by: c.get('actor').id })
      audit?.record(c.get('actor'), 'agent.create', agent.id, {
        name: agent.name,
        email: agent.email,
        role: agent.role,
      })
      return c.json({ agent: view(agent) }, 201)
    })

    .patch('/:id', admin, async (c) => {
      const id = agentId(c.req.param('id'))
      const changes = await readJson(c, AgentChangesBody)
      const before = accounts.get(id)
      if (!before) throw new ApiError(404, 'agent_not_found', 'No agent with this id')
      const agent = await accounts.update(id, changes)

      const self = id === c.get('actor').id
      const lostAccess = before.active && !agent.active
      const newRole = before.role !== agent.role
      // A new role signs the agent out everywhere (this session too, if it is their own): every
      // device signs in again and starts from what the new role may see.
      if (lostAccess || newRole) sessions.revokeAgent(id)
      // A new password signs the agent out elsewhere; an admin changing their own keeps this session.
      else if (changes.password !== undefined)
        sessions.revokeAgent(id, self ? c.get('token') : undefined)
      // Open sockets carry the old role or session: drop them so they reconnect and re-authenticate.
      if (lostAccess || changes.password !== undefined || newRole) sync.disconnectAgent(id)
      const fields = Object.keys(changes).filter(
        (key) => changes[key as keyof typeof changes] !== undefined,
      )
      log.info('agent changed', { agentId: id, by: c.get('actor').id, fields })
      audit?.record(c.get('actor'), 'agent.update', id, {
        fields: fields.filter((field) => field !== 'password'),
        ...(newRole ? { role: agent.role } : {}),
        ...(before.active !== agent.active ? { active: agent.active } : {}),
        ...(changes.password !== undefined ? { passwordReset: true } : {}),
      })
      return c.json({ agent: view(agent) })
    })

    .delete('/:id', admin, (c) => {
      const id = agentId(c.req.param('id'))
      const before = accounts.get(id)
      accounts.remove(id) // sessions go with the row (ON DELETE CASCADE)
      sessions.revokeAgent(id)
      sync.disconnectAgent(id)
      log.info('agent deleted', { agentId: id, by: c.get('actor').id })
      audit?.record(c.get('actor'), 'agent.delete', id, {
        name: before?.name ?? null,
        email: before?.email ?? null,
      })
      return c.json({ ok: true })
    })
}
