import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.js'

const WHATSAPP = {
  WHATSAPP_ACCESS_TOKEN: 'EAAG-test-access-token',
  WHATSAPP_PHONE_NUMBER_ID: '1234567890',
  WHATSAPP_APP_SECRET: 'app-secret-value',
  WHATSAPP_VERIFY_TOKEN: 'verify-token-value',
}

/** The ConfigError `loadConfig(env)` throws (fails the test if it does not throw one). */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) return err
    throw err
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(Object.keys(env))}`)
}

describe('loadConfig', () => {
  it('uses the documented defaults for an empty environment, in demo mode', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: path.resolve('./data'),
      adminEmail: null,
      adminPassword: null,
      whatsapp: null,
      demo: true,
      logLevel: 'info',
      sqliteSynchronous: 'NORMAL',
    })
    expect(config.whatsappApiBase).toMatch(/^https:\/\/graph\.facebook\.com\/v\d+\.\d+$/)
  })

  it('reads every variable and leaves demo mode when all WhatsApp credentials are given', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/atende',
      ADMIN_EMAIL: 'boss@example.com',
      ADMIN_PASSWORD: 'long-enough-password',
      WHATSAPP_API_BASE: 'http://127.0.0.1:9999/v25.0/',
      ...WHATSAPP,
    })
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/atende',
      adminEmail: 'boss@example.com',
      adminPassword: 'long-enough-password',
      demo: false,
      whatsappApiBase: 'http://127.0.0.1:9999/v25.0',
    })
    expect(config.whatsapp).toEqual({
      apiBase: 'http://127.0.0.1:9999/v25.0',
      accessToken: WHATSAPP.WHATSAPP_ACCESS_TOKEN,
      phoneNumberId: WHATSAPP.WHATSAPP_PHONE_NUMBER_ID,
      appSecret: WHATSAPP.WHATSAPP_APP_SECRET,
      verifyToken: WHATSAPP.WHATSAPP_VERIFY_TOKEN,
    })
  })

  it('accepts PORT=0 (pick a free port) and resolves a relative DATA_DIR', () => {
    const config = loadConfig({ PORT: '0', DATA_DIR: 'tmp/atende' })
    expect(config.port).toBe(0)
    expect(config.dataDir).toBe(path.resolve('tmp/atende'))
  })

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true)
  })

  it.each([['abc'], ['-1'], ['65536'], ['80.5'], ['1e3']])(
    'rejects PORT=%s, naming PORT',
    (value) => {
      const err = configError({ PORT: value })
      expect(err.variable).toBe('PORT')
      expect(err.message).toMatch(/^PORT: /)
      expect(err.code).toBe('config_invalid')
    },
  )

  it('rejects a HOST with spaces or slashes', () => {
    expect(configError({ HOST: 'http://example.com' }).variable).toBe('HOST')
  })

  it('rejects a WHATSAPP_API_BASE that is not an http(s) URL', () => {
    expect(configError({ WHATSAPP_API_BASE: 'not a url' }).variable).toBe('WHATSAPP_API_BASE')
    expect(configError({ WHATSAPP_API_BASE: 'ftp://example.com' }).variable).toBe(
      'WHATSAPP_API_BASE',
    )
  })

  it('requires ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(configError({ ADMIN_EMAIL: 'boss@example.com' }).variable).toBe('ADMIN_PASSWORD')
    expect(configError({ ADMIN_PASSWORD: 'long-enough-password' }).variable).toBe('ADMIN_EMAIL')
  })

  it('rejects a malformed ADMIN_EMAIL and a short ADMIN_PASSWORD', () => {
    expect(
      configError({ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'long-enough' }).variable,
    ).toBe('ADMIN_EMAIL')
    expect(configError({ ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'short' }).variable).toBe(
      'ADMIN_PASSWORD',
    )
  })

  it('names the first missing WhatsApp credential when only some are set', () => {
    const { WHATSAPP_APP_SECRET: _omitted, ...partial } = WHATSAPP
    expect(configError(partial).variable).toBe('WHATSAPP_APP_SECRET')
  })

  it('rejects a non-numeric WHATSAPP_PHONE_NUMBER_ID', () => {
    const err = configError({ ...WHATSAPP, WHATSAPP_PHONE_NUMBER_ID: '+55 11 99999-0000' })
    expect(err.variable).toBe('WHATSAPP_PHONE_NUMBER_ID')
  })

  it('never echoes a secret in its messages', () => {
    const secret = 'sup3r-s3cret-value'
    const messages = [
      configError({ ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'short' }).message,
      configError({ ...WHATSAPP, WHATSAPP_ACCESS_TOKEN: '', WHATSAPP_APP_SECRET: secret }).message,
      configError({ ...WHATSAPP, WHATSAPP_VERIFY_TOKEN: secret, WHATSAPP_PHONE_NUMBER_ID: 'x' })
        .message,
    ]
    for (const message of messages) {
      expect(message).not.toContain(secret)
      expect(message).not.toContain('short')
    }
  })

  it('treats blank values as unset', () => {
    const config = loadConfig({ PORT: '  ', HOST: '', ADMIN_EMAIL: ' ', ADMIN_PASSWORD: '' })
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      adminEmail: null,
      adminPassword: null,
    })
  })

  it('trusts no proxy by default, and reads TRUST_PROXY as a hop count or a list of addresses', () => {
    expect(loadConfig({}).trustProxy).toBeNull()
    for (const off of ['', '0', 'false', 'off'])
      expect(loadConfig({ TRUST_PROXY: off }).trustProxy).toBeNull()
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toEqual({ hops: 1 })
    expect(loadConfig({ TRUST_PROXY: ' 2 ' }).trustProxy).toEqual({ hops: 2 })
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, ::FFFF:10.0.0.2,fd00::1' }).trustProxy).toEqual({
      addresses: ['10.0.0.1', '10.0.0.2', 'fd00::1'],
    })
  })

  it('reads SIMULATOR_PACE as normal (default) or fast, and nothing else', () => {
    expect(loadConfig({}).simulatorPace).toBe('normal')
    expect(loadConfig({ SIMULATOR_PACE: ' fast ' }).simulatorPace).toBe('fast')
    expect(configError({ SIMULATOR_PACE: 'quick' }).message).toBe(
      "SIMULATOR_PACE: must be 'normal' or 'fast', got 'quick'",
    )
  })

  it('rejects a TRUST_PROXY that is neither, naming it', () => {
    for (const bad of ['true', 'nginx.local', '10.0.0.0/8', '10.0.0.1,', '11', '-1']) {
      const error = configError({ TRUST_PROXY: bad })
      expect(error.variable).toBe('TRUST_PROXY')
    }
    expect(configError({ TRUST_PROXY: 'proxy.example' }).message).toMatch(
      /TRUST_PROXY: must be a hop count .* or a comma-separated list of proxy IP addresses/,
    )
  })

  it('reads LOG_LEVEL and SQLITE_SYNCHRONOUS, and rejects values the server would ignore', () => {
    expect(loadConfig({ LOG_LEVEL: 'WARN', SQLITE_SYNCHRONOUS: 'full' })).toMatchObject({
      logLevel: 'warn',
      sqliteSynchronous: 'FULL',
    })
    expect(configError({ LOG_LEVEL: 'verbose' }).message).toMatch(
      /LOG_LEVEL: must be debug, info, warn or error/,
    )
    expect(configError({ SQLITE_SYNCHRONOUS: 'OFF' }).variable).toBe('SQLITE_SYNCHRONOUS')
  })
})
