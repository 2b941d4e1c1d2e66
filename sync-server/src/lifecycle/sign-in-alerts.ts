/**
 * Repeated failed sign-ins on an account: written to the audit log (actor: the system) and told,
 * as a notification, to the account's owner and every active admin, so someone guessing a password
 * is noticed by the people who can act on it. Called once per throttle window per account.
 */
import type { Logger } from '../log.js'
import type { Accounts } from '../store/accounts.js'
import type { AuditLog } from '../store/audit.js'
import type { Db } from '../store/db.js'
import { notify } from '../store/notifications.js'

export interface SignInAlertDeps {
  db: Db
  accounts: Pick<Accounts, 'findByEmail' | 'list'>
  audit: AuditLog
  log: Logger
}

export interface SignInFailures {
  /** The email tried (normalised); only an existing account raises an alert. */
  email: string
  failures: number
  /** Where the attempts came from, most recent first. */
  addresses: string[]
}

/** The system, as the audit log's actor (shown as "System"). */
const SYSTEM = { id: 'system', name: '' }

export function reportSignInFailures(deps: SignInAlertDeps, input: SignInFailures): void {
  const account = deps.accounts.findByEmail(input.email)
  if (!account) return // nobody to warn: a guessed email that is no one's
  deps.log.warn('repeated failed sign-ins', {
    agentId: account.id,
    failures: input.failures,
    addresses: input.addresses,
  })
  deps.audit.record(SYSTEM, 'auth.sign_in_failures', account.id, {
    name: account.name,
    email: account.email,
    failures: input.failures,
    addresses: input.addresses,
  })
  const told = new Set([account.id])
  for (const agent of deps.accounts.list())
    if (agent.role === 'admin' && agent.active) told.add(agent.id)
  for (const agentId of told) {
    notify(deps.db, {
      agentId,
      kind: 'sign_in_failures',
      conversationId: null,
      accountId: account.id,
      actorId: null,
    })
  }
}
