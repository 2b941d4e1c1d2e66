import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.js'
import { loadSecretKey, SECRET_KEY_FILE } from './secret-key.js'

const dirs: string[] = []
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atende-secrets-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

describe('loadSecretKey', () => {
  it('creates DATA_DIR/secret.key (mode 0600) on the first start and reuses it', () => {
    const dataDir = path.join(tempDir(), 'nested')
    const first = loadSecretKey({ key: null, dataDir })
    const file = path.join(dataDir, SECRET_KEY_FILE)
    expect(first.byteLength).toBe(32)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(loadSecretKey({ key: null, dataDir })).toEqual(first)
  })

  it('prefers the configured key and never writes a file then', () => {
    const dataDir = tempDir()
    const key = new Uint8Array(randomBytes(32))
    expect(loadSecretKey({ key, dataDir })).toBe(key)
    expect(fs.existsSync(path.join(dataDir, SECRET_KEY_FILE))).toBe(false)
  })

  it('refuses a key file that does not hold 32 bytes', () => {
    const dataDir = tempDir()
    fs.writeFileSync(path.join(dataDir, SECRET_KEY_FILE), 'too-short\n')
    expect(() => loadSecretKey({ key: null, dataDir })).toThrow(ConfigError)
  })
})

describe('ATENDE_SECRET_KEY', () => {
  it('takes 32 bytes in base64 or base64url', () => {
    const key = randomBytes(32)
    expect(loadConfig({ ATENDE_SECRET_KEY: key.toString('base64') }).secretKey).toEqual(
      new Uint8Array(key),
    )
    expect(loadConfig({ ATENDE_SECRET_KEY: key.toString('base64url') }).secretKey).toEqual(
      new Uint8Array(key),
    )
    expect(loadConfig({}).secretKey).toBeNull()
  })

  it('stops start-up naming the variable, without echoing the value', () => {
    for (const value of [randomBytes(16).toString('base64'), 'not a key!']) {
      let error: unknown
      try {
        loadConfig({ ATENDE_SECRET_KEY: value })
      } catch (err) {
        error = err
      }
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).variable).toBe('ATENDE_SECRET_KEY')
      expect((error as ConfigError).message).not.toContain(value)
    }
  })
})
