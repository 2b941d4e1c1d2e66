/**
 * First start: create who can sign in. With ADMIN_EMAIL/ADMIN_PASSWORD, that admin; in demo mode
 * without them, a demo admin and two demo agents with fixed, documented passwords. Later starts
 * change nothing (an admin deleted on purpose does not come back).
 */
import type { Role } from '@atende/shared'
import { ConfigError, type Config } from '../config.js'
import type { Logger } from '../log.js'
import type { Accounts } from '../store/accounts.js'

export interface DemoSignIn {
  name: string
  email: string
  password: string
  role: Role
}

/** The demo's documented sign-ins (printed at start-up; demo mode only). */
export const DEMO_ACCOUNTS: readonly DemoSignIn[] = [
  { name: 'Ana Souza', email: 'admin@demo.atende', password: 'demo-admin-123', role: 'admin' },
  { name: 'Bruno Lima', email: 'agent1@demo.atende', password: 'demo-agent-123', role: 'agent' },
  { name: 'Carla Mendes', email: 'agent2@demo.atende', password: 'demo-agent-123', role: 'agent' },
]

export interface SeedResult {
  /** Demo sign-ins still present, to print at start-up; empty outside demo mode. */
  demoSignIns: DemoSignIn[]
}

function nameFromEmail(email: string): string {
  const local = email.split('@')[0] ?? 'admin'
  const words = local.split(/[._-]+/).filter(Boolean)
  return words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join(' ') || 'Admin'
}

/**
 * Seeds the accounts table when it is empty. Throws {@link ConfigError} when nobody could sign in:
 * real WhatsApp credentials but no ADMIN_EMAIL on a fresh database.
 */
export async function seedAccounts(options: {
  config: Pick<Config, 'adminEmail' | 'adminPassword' | 'demo'>
  accounts: Accounts
  log: Logger
}): Promise<SeedResult> {
  const { config, accounts } = options
  const log = options.log.child('seed')
  const useDemo = config.demo && config.adminEmail === null

  if (accounts.count() === 0) {
    if (config.adminEmail !== null && config.adminPassword !== null) {
      const admin = await accounts.create({
        name: nameFromEmail(config.adminEmail),
        email: config.adminEmail,
        password: config.adminPassword,
        role: 'admin',
      })
      log.info('admin account created', { agentId: admin.id })
    } else if (useDemo) {
      for (const account of DEMO_ACCOUNTS) await accounts.create(account)
      log.info('demo accounts created', { count: DEMO_ACCOUNTS.length })
    } else {
      throw new ConfigError(
        'ADMIN_EMAIL',
        'is required on first start (with ADMIN_PASSWORD) to create the admin',
      )
    }
  }

  const demoSignIns = useDemo
    ? DEMO_ACCOUNTS.filter((account) => accounts.findByEmail(account.email))
    : []
  return { demoSignIns }
}

/** The demo accounts that still sign in with their published password (emails). */
export async function demoPasswordsInUse(accounts: Pick<Accounts, 'verifyPassword'>) {
  const open = await Promise.all(
    DEMO_ACCOUNTS.map(async (account) =>
      (await accounts.verifyPassword(account.email, account.password)) ? account.email : null,
    ),
  )
  return open.filter((email): email is string => email !== null)
}
