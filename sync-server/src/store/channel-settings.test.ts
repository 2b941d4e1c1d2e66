import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../log.js'
import {
  CHANNEL_SETTINGS_KEY,
  createChannelSettingsStore,
  graphVersionOf,
  normaliseDisplayNumber,
  toWhatsAppConfig,
  withGraphVersion,
  type ChannelSettings,
} from './channel-settings.js'
import { openDatabase } from './db.js'
import { createSecretBox } from './secrets.js'

const SETTINGS: ChannelSettings = {
  accountName: 'Loja Exemplo',
  displayNumber: '1140040000',
  phoneNumberId: '106540352242922',
  businessAccountId: '102290129340398',
  accessToken: 'EAAG-saved-access-token-0001',
  appSecret: 'saved-app-secret-0002',
  verifyToken: 'verify-me',
  graphApiVersion: 'v26.0',
  policiesAcceptedAt: 1_700_000_000_000,
  policiesAcceptedBy: 'admin-id',
  updatedAt: 1_700_000_000_000,
  updatedBy: 'admin-id',
}

function quietLog() {
  const lines: string[] = []
  return { log: createLogger('test', { write: (line) => lines.push(line) }), lines }
}

describe('normaliseDisplayNumber', () => {
  it('keeps the digits of a number as people type it', () => {
    expect(normaliseDisplayNumber('11 4004-0000')).toBe('1140040000')
    expect(normaliseDisplayNumber('+55 (11) 4004-0000')).toBe('551140040000')
  })
  it('refuses letters and numbers outside 8 to 15 digits', () => {
    expect(normaliseDisplayNumber('11 4004-OOOO')).toBeNull()
    expect(normaliseDisplayNumber('4004-000')).toBeNull()
    expect(normaliseDisplayNumber('1234567890123456')).toBeNull()
    expect(normaliseDisplayNumber('')).toBeNull()
  })
})

describe('withGraphVersion', () => {
  it('replaces a trailing version segment, or appends one', () => {
    expect(withGraphVersion('https://graph.facebook.com/v25.0', 'v26.0')).toBe(
      'https://graph.facebook.com/v26.0',
    )
    expect(withGraphVersion('http://127.0.0.1:9/v25.0/', 'v24.0')).toBe('http://127.0.0.1:9/v24.0')
    expect(withGraphVersion('http://127.0.0.1:9/graph', 'v25.0')).toBe(
      'http://127.0.0.1:9/graph/v25.0',
    )
    expect(graphVersionOf('http://127.0.0.1:9/v23.1')).toBe('v23.1')
    expect(graphVersionOf('http://127.0.0.1:9/graph')).toBe('v25.0')
  })

  it('toWhatsAppConfig points the saved credentials at the base host with their version', () => {
    expect(toWhatsAppConfig(SETTINGS, 'http://127.0.0.1:9/v25.0')).toEqual({
      apiBase: 'http://127.0.0.1:9/v26.0',
      accessToken: SETTINGS.accessToken,
      phoneNumberId: SETTINGS.phoneNumberId,
      appSecret: SETTINGS.appSecret,
      verifyToken: SETTINGS.verifyToken,
    })
  })
})

describe('createChannelSettingsStore', () => {
  it('saves and reads back, with the secrets sealed in the table', () => {
    const db = openDatabase(':memory:')
    const secrets = createSecretBox(randomBytes(32))
    const store = createChannelSettingsStore({ db, secrets, log: quietLog().log })
    expect(store.get()).toBeNull()
    store.save(SETTINGS)
    expect(store.get()).toEqual(SETTINGS)
    const row = db
      .prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
      .get(CHANNEL_SETTINGS_KEY)!
    expect(row.value).not.toContain(SETTINGS.accessToken)
    expect(row.value).not.toContain(SETTINGS.appSecret)
    expect(row.value).toContain(SETTINGS.verifyToken)
  })

  it('treats settings the key cannot open as not saved, warning once without any value', () => {
    const db = openDatabase(':memory:')
    const before = createChannelSettingsStore({
      db,
      secrets: createSecretBox(randomBytes(32)),
      log: quietLog().log,
    })
    before.save(SETTINGS)
    const { log, lines } = quietLog()
    const after = createChannelSettingsStore({ db, secrets: createSecretBox(randomBytes(32)), log })
    expect(after.get()).toBeNull()
    expect(after.get()).toBeNull()
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('"level":"warn"')
    expect(lines[0]).not.toContain(SETTINGS.accessToken)
    expect(lines[0]).not.toContain('v1:')
  })
})
