/**
 * Sign-in, sign-out and "who am I". Wrong email and wrong password get the same 401 after the same
 * scrypt time. Throttling (see login-throttle.ts): repeated failures of one (account, address) pair
 * get 429 with Retry-After; an account or address under attack is answered more and more slowly,
 * never refused; the owner and the admins are told of repeated failures. The address is the
 * socket's peer, or what trusted proxies say (`TRUST_PROXY`, see client-address.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Hono } from 'hono'
import * as v from 'valibot'
import type { TrustProxy } from '../../config.js'
import { reportSignInFailures } from '../../lifecycle/sign-in-alerts.js'
import type { Logger } from '../../log.js'
import { normalizeEmail, type Accounts } from '../../store/accounts.js'
import type { AuditLog } from '../../store/audit.js'
import type { Db } from '../../store/db.js'
import type { Sessions } from '../../store/sessions.js'
import { clientAddress } from '../client-address.js'
import { ApiError } from '../errors.js'
import type { LoginThrottle } from '../login-throttle.js'
import { clearSessionCookie, setSessionCookie, type AuthEnv } from '../middleware/auth.js'
import { readJson } from '../validate.js'

export interface AuthRoutesOptions {
  accounts: Accounts
  sessions: Sessions
  throttle: LoginThrottle
  log: Logger
  /** Where alerts of repeated failures go (audit log, notifications); none without them. */
  db?: Db
  audit?: AuditLog
  trustProxy?: TrustProxy
}

const LoginBody = v.object({
  email: v.pipe(
    v.string('must be a string'),
    v.trim(),
    v.minLength(1, 'is required'),
    v.maxLength(254, 'is too long'),
  ),
  password: v.pipe(
    v.string('must be a string'),
    v.minLength(1, 'is required'),
    v.maxLength(1024, 'is too long'),
  ),
})

/** `POST /auth/login`: the one API route reachable without a session. */
export function loginRoutes(options: AuthRoutesOptions): Hono {
  const { accounts, sessions, throttle, log, db, audit } = options
  const trustProxy = options.trustProxy ?? null
  return new Hono().post('/auth/login', async (c) => {
    const { email, password } = await readJson(c, LoginBody)
    const account = normalizeEmail(email)
    const address = clientAddress(c, trustProxy)
    const { retryAfter, delayMs } = await throttle.begin(account, address)
    if (retryAfter > 0) {
      log.warn('sign-in throttled', { address, retryAfter })
      throw new ApiError(429, 'too_many_attempts', 'Too many failed sign-ins. Try again later.', {
        'Retry-After': String(retryAfter),
      })
    }
    if (delayMs > 0) await sleep(delayMs)
    const agent = await accounts.verifyPassword(account, password)
    if (!agent) {
      log.info('sign-in failed', { address })
      const report = await throttle.failed(account, address)
      if (report.alert && db && audit) {
        try {
          reportSignInFailures({ db, accounts, audit, log }, { email: account, ...report })
        } catch (err) {
          log.error('recording repeated failed sign-ins failed', { err })
        }
      }
      throw new ApiError(401, 'invalid_credentials', 'Wrong email or password')
    }
    await throttle.succeeded(account, address)
    const token = sessions.create(agent.id)
    setSessionCookie(c, token, sessions.ttlMs)
    log.info('signed in', { agentId: agent.id })
    const { id, name, role } = agent
    return c.json({ token, user: { id, name, email: agent.email, role } })
  })
}

/** `POST /auth/logout` and `GET /me`; mount behind `requireSession`. */
export function sessionRoutes(options: AuthRoutesOptions): Hono<AuthEnv> {
  const { accounts, sessions, log } = options
  return new Hono<AuthEnv>()
    .post('/auth/logout', (c) => {
      sessions.revoke(c.get('token'))
      clearSessionCookie(c)
      log.info('signed out', { agentId: c.get('actor').id })
      return c.json({ ok: true })
    })
    .get('/me', (c) => {
      const agent = accounts.get(c.get('actor').id)
      if (!agent) throw new ApiError(401, 'unauthorized', 'Sign in to continue')
      const { id, name, email, role, active } = agent
      return c.json({ user: { id, name, email, role, active } })
    })
}
