/**
 * The WhatsApp channel as an admin saved it on the Settings page: one JSON value in the `settings`
 * table (key `whatsapp.channel`). The access token and app secret are sealed with the secret key
 * (secrets.ts) before they are written and opened only in memory; the verify token is not a
 * secret (the admin pastes it into Meta's dashboard) and is kept as is.
 *
 * Saved settings, when complete, win over the environment's WHATSAPP_* credentials (main.ts).
 */
import type { Db } from './db.js'
import { SecretUnreadable, type SecretBox } from './secrets.js'

export const CHANNEL_SETTINGS_KEY = 'whatsapp.channel'
export const DEFAULT_GRAPH_VERSION = 'v25.0'
export const GRAPH_VERSION = /^v\d+\.\d+$/
/** The secret fields: write-only through the API, sealed at rest. */
export const CHANNEL_SECRETS = ['accessToken', 'appSecret'] as const
export type ChannelSecret = (typeof CHANNEL_SECRETS)[number]

export interface ChannelSettings {
  /** The business name customers see. */
  accountName: string
  /** The business number, digits only (area code + number, or with the country code). */
  displayNumber: string
  phoneNumberId: string
  businessAccountId: string
  accessToken: string
  appSecret: string
  verifyToken: string
  graphApiVersion: string
  /** When (ms epoch) and by whom WhatsApp's Business and Commerce policies were accepted. */
  policiesAcceptedAt: number
  policiesAcceptedBy: string
  updatedAt: number
  updatedBy: string
}

/** The channel credentials saved settings stand for (the shape of config.ts's `WhatsAppConfig`). */
export type ChannelCredentials = Pick<
  ChannelSettings,
  'accessToken' | 'phoneNumberId' | 'appSecret' | 'verifyToken'
> & { apiBase: string }

/** As stored: the secrets sealed. */
type StoredChannelSettings = Omit<ChannelSettings, ChannelSecret> & Record<ChannelSecret, string>

export interface ChannelSettingsStore {
  /**
   * The saved settings with their secrets opened; null when none were saved, or when the secret key
   * cannot open them (the key was lost or changed: logged once, without any value).
   */
  get(): ChannelSettings | null
  save(settings: ChannelSettings): void
}

export interface ChannelSettingsStoreOptions {
  db: Db
  secrets: SecretBox
  /** Told once when saved settings cannot be read (main.ts passes its logger). */
  log: { warn(message: string, fields?: Record<string, unknown>): void }
}

/** Digits of a display number as typed ("11 4004-0000", "+55 (11) 4004-0000"); null if not one. */
export function normaliseDisplayNumber(input: string): string | null {
  if (!/^[\d\s().+-]+$/.test(input.trim())) return null
  const digits = input.replace(/\D/g, '')
  return digits.length >= 8 && digits.length <= 15 ? digits : null
}

/**
 * `base` with its trailing `/vNN.N` segment replaced by `version` (appended when it has none):
 * the environment's WHATSAPP_API_BASE keeps choosing the host (tests point it at a fake Meta).
 */
export function withGraphVersion(base: string, version: string): string {
  const trimmed = base.replace(/\/+$/, '')
  return /\/v\d+\.\d+$/.test(trimmed)
    ? trimmed.replace(/\/v\d+\.\d+$/, `/${version}`)
    : `${trimmed}/${version}`
}

/** The version segment of a Graph base URL, or the default. */
export function graphVersionOf(base: string): string {
  return base.replace(/\/+$/, '').match(/\/(v\d+\.\d+)$/)?.[1] ?? DEFAULT_GRAPH_VERSION
}

/** The channel credentials the saved settings stand for, on `graphBase`'s host. */
export function toWhatsAppConfig(settings: ChannelSettings, graphBase: string): ChannelCredentials {
  return {
    apiBase: withGraphVersion(graphBase, settings.graphApiVersion),
    accessToken: settings.accessToken,
    phoneNumberId: settings.phoneNumberId,
    appSecret: settings.appSecret,
    verifyToken: settings.verifyToken,
  }
}

function isStored(value: unknown): value is StoredChannelSettings {
  if (!value || typeof value !== 'object') return false
  const record = value as Record<string, unknown>
  const strings = [
    'accountName',
    'displayNumber',
    'phoneNumberId',
    'businessAccountId',
    'accessToken',
    'appSecret',
    'verifyToken',
    'graphApiVersion',
    'policiesAcceptedBy',
    'updatedBy',
  ]
  return (
    strings.every((key) => typeof record[key] === 'string') &&
    typeof record.policiesAcceptedAt === 'number' &&
    typeof record.updatedAt === 'number'
  )
}

export function createChannelSettingsStore(
  options: ChannelSettingsStoreOptions,
): ChannelSettingsStore {
  const { db, secrets, log } = options
  const select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
  const upsert = db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (@key, @value, @now)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  )
  let warned = false
  const unreadable = (why: string) => {
    if (!warned) log.warn('saved WhatsApp settings ignored', { reason: why })
    warned = true
    return null
  }

  return {
    get() {
      const row = select.get(CHANNEL_SETTINGS_KEY)
      if (!row) return null
      let stored: unknown
      try {
        stored = JSON.parse(row.value)
      } catch {
        return unreadable('not JSON')
      }
      if (!isStored(stored)) return unreadable('incomplete')
      try {
        const settings = {
          ...stored,
          accessToken: secrets.open(stored.accessToken),
          appSecret: secrets.open(stored.appSecret),
        }
        warned = false
        return settings
      } catch (err) {
        if (!(err instanceof SecretUnreadable)) throw err
        return unreadable('the secret key cannot open them (was it changed or lost?)')
      }
    },
    save(settings) {
      const stored: StoredChannelSettings = {
        ...settings,
        accessToken: secrets.seal(settings.accessToken),
        appSecret: secrets.seal(settings.appSecret),
      }
      upsert.run({ key: CHANNEL_SETTINGS_KEY, value: JSON.stringify(stored), now: Date.now() })
      warned = false
    },
  }
}
