/**
 * The one reader of `process.env`: read and validated once at start-up, then passed down frozen.
 * A bad value stops start-up with a message naming the variable (secrets are never echoed).
 */
import { isIP } from 'node:net'
import path from 'node:path'
import type { Level } from './log.js'

export interface WhatsAppConfig {
  apiBase: string
  accessToken: string
  phoneNumberId: string
  appSecret: string
  verifyToken: string
}

export interface Config {
  port: number
  host: string
  dataDir: string
  adminEmail: string | null
  adminPassword: string | null
  whatsapp: WhatsAppConfig | null
  /** Graph base URL with version; kept even in demo mode, where the simulator answers it. */
  whatsappApiBase: string
  /** No WhatsApp credentials: the embedded simulator plays Meta's side. */
  demo: boolean
  /**
   * `ATENDE_SECRET_KEY`: the 32-byte key that seals secrets saved in the database (see
   * store/secrets.ts); null to use (or create) the key file `DATA_DIR/secret.key`.
   */
  secretKey: Uint8Array | null
  /**
   * `TRUST_PROXY`: whose `X-Forwarded-For` gives the client's address (sign-in throttling). Null
   * (the default): nobody's, the socket's peer is the client. `hops`: that many proxies in front,
   * whoever connects. `addresses`: only when the peer (and each hop after it) is one of these.
   */
  trustProxy: TrustProxy
  /** `LOG_LEVEL`: the least severe level written. */
  logLevel: Level
  /** `SQLITE_SYNCHRONOUS`: `FULL` fsyncs every commit; `NORMAL` (default) survives process crashes. */
  sqliteSynchronous: 'NORMAL' | 'FULL'
  /** `SIMULATOR_PACE`: how fast the demo's customers write and their phones tick ('fast': tests). */
  simulatorPace: 'normal' | 'fast'
}

export type TrustProxy = null | { hops: number } | { addresses: readonly string[] }

export class ConfigError extends Error {
  readonly code = 'config_invalid'
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`)
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const WHATSAPP_SECRETS = [
  'WHATSAPP_ACCESS_TOKEN',
  'WHATSAPP_PHONE_NUMBER_ID',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
] as const

type Env = Record<string, string | undefined>

function text(env: Env, name: string): string | null {
  const value = env[name]?.trim()
  return value ? value : null
}

function port(env: Env): number {
  const raw = text(env, 'PORT')
  if (raw === null) return 3000
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError('PORT', `must be a whole number from 0 to 65535, got '${raw}'`)
  }
  return value
}

function host(env: Env): string {
  const value = text(env, 'HOST') ?? '127.0.0.1'
  if (/[\s/]/.test(value))
    throw new ConfigError('HOST', `must be a host name or address, got '${value}'`)
  return value
}

function apiBase(env: Env): string {
  const value = text(env, 'WHATSAPP_API_BASE') ?? 'https://graph.facebook.com/v25.0'
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError('WHATSAPP_API_BASE', `must be a URL, got '${value}'`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError('WHATSAPP_API_BASE', 'must be an http(s) URL')
  }
  return value.replace(/\/+$/, '')
}

function secretKey(env: Env): Uint8Array | null {
  const raw = text(env, 'ATENDE_SECRET_KEY')
  if (raw === null) return null
  // base64 or base64url (Node's decoder reads both); the value itself is never echoed.
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : null
  if (!key || key.length !== 32) {
    throw new ConfigError('ATENDE_SECRET_KEY', 'must be 32 bytes in base64 or base64url')
  }
  return new Uint8Array(key)
}

const MAX_PROXY_HOPS = 10

/** `::ffff:10.0.0.1` (an IPv4 peer of a dual-stack socket) is `10.0.0.1`; IPv6 is lower-cased. */
export function normalizeAddress(address: string): string {
  const value = address.trim().toLowerCase()
  return value.startsWith('::ffff:') && isIP(value.slice(7)) === 4 ? value.slice(7) : value
}

function trustProxy(env: Env): TrustProxy {
  const raw = text(env, 'TRUST_PROXY')
  if (raw === null || /^(0|false|off|no)$/i.test(raw)) return null
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw)
    if (hops > MAX_PROXY_HOPS)
      throw new ConfigError('TRUST_PROXY', `must be at most ${MAX_PROXY_HOPS} hops, got '${raw}'`)
    return { hops }
  }
  const addresses = raw.split(',').map((part) => normalizeAddress(part))
  const bad = addresses.find((address) => isIP(address) === 0)
  if (bad !== undefined) {
    throw new ConfigError(
      'TRUST_PROXY',
      `must be a hop count (1 to ${MAX_PROXY_HOPS}) or a comma-separated list of proxy IP addresses, got '${bad}'`,
    )
  }
  return { addresses: Object.freeze([...new Set(addresses)]) }
}

function logLevel(env: Env): Level {
  const raw = text(env, 'LOG_LEVEL')?.toLowerCase() ?? 'info'
  if (raw !== 'debug' && raw !== 'info' && raw !== 'warn' && raw !== 'error')
    throw new ConfigError('LOG_LEVEL', `must be debug, info, warn or error, got '${raw}'`)
  return raw
}

function sqliteSynchronous(env: Env): 'NORMAL' | 'FULL' {
  const raw = text(env, 'SQLITE_SYNCHRONOUS')?.toUpperCase() ?? 'NORMAL'
  if (raw !== 'NORMAL' && raw !== 'FULL')
    throw new ConfigError('SQLITE_SYNCHRONOUS', `must be NORMAL or FULL, got '${raw}'`)
  return raw
}

function simulatorPace(env: Env): 'normal' | 'fast' {
  const value = text(env, 'SIMULATOR_PACE') ?? 'normal'
  if (value !== 'normal' && value !== 'fast') {
    throw new ConfigError('SIMULATOR_PACE', `must be 'normal' or 'fast', got '${value}'`)
  }
  return value
}

/** Reads and validates the configuration; throws {@link ConfigError} naming the first bad variable. */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const adminEmail = text(env, 'ADMIN_EMAIL')
  const adminPassword = env.ADMIN_PASSWORD ?? null
  if (adminEmail !== null && !EMAIL.test(adminEmail)) {
    throw new ConfigError('ADMIN_EMAIL', 'must be an email address')
  }
  if ((adminEmail === null) !== (adminPassword === null || adminPassword === '')) {
    throw new ConfigError(
      adminEmail ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL',
      'ADMIN_EMAIL and ADMIN_PASSWORD go together',
    )
  }
  if (adminPassword !== null && adminPassword !== '' && adminPassword.length < 8) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 8 characters')
  }

  const given = WHATSAPP_SECRETS.filter((name) => text(env, name) !== null)
  if (given.length > 0 && given.length < WHATSAPP_SECRETS.length) {
    const missing = WHATSAPP_SECRETS.find((name) => text(env, name) === null)!
    throw new ConfigError(missing, 'is required once any WhatsApp credential is set')
  }
  const whatsappApiBase = apiBase(env)
  const phoneNumberId = text(env, 'WHATSAPP_PHONE_NUMBER_ID')
  if (phoneNumberId !== null && !/^\d+$/.test(phoneNumberId)) {
    throw new ConfigError('WHATSAPP_PHONE_NUMBER_ID', 'must be the numeric phone number id')
  }
  const whatsapp: WhatsAppConfig | null =
    given.length === WHATSAPP_SECRETS.length
      ? {
          apiBase: whatsappApiBase,
          accessToken: text(env, 'WHATSAPP_ACCESS_TOKEN')!,
          phoneNumberId: phoneNumberId!,
          appSecret: text(env, 'WHATSAPP_APP_SECRET')!,
          verifyToken: text(env, 'WHATSAPP_VERIFY_TOKEN')!,
        }
      : null

  return Object.freeze({
    port: port(env),
    host: host(env),
    dataDir: path.resolve(text(env, 'DATA_DIR') ?? './data'),
    adminEmail,
    adminPassword: adminPassword || null,
    whatsapp,
    whatsappApiBase,
    demo: whatsapp === null,
    secretKey: secretKey(env),
    trustProxy: trustProxy(env),
    logLevel: logLevel(env),
    sqliteSynchronous: sqliteSynchronous(env),
    simulatorPace: simulatorPace(env),
  })
}
