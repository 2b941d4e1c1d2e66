import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../config.js'
import { createSecretBox, loadSecretKey, SECRET_KEY_FILE, SecretUnreadable } from './secrets.js'

const dirs: string[] = []
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atende-secrets-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

describe('createSecretBox', () => {
  const box = createSecretBox(randomBytes(32))

  it('seals to v1:<iv>:<tag>:<ciphertext> in base64url and opens back', () => {
    const plain = 'EAAG-ácçess-tøken-1234567890'
    const sealed = box.seal(plain)
    expect(sealed).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/)
    expect(sealed).not.toContain(plain)
    expect(box.open(sealed)).toBe(plain)
  })

  it('uses a fresh IV every time', () => {
    expect(box.seal('same')).not.toBe(box.seal('same'))
  })

  it('refuses another key, a tampered value and garbage', () => {
    const sealed = box.seal('app-secret-value')
    expect(() => createSecretBox(randomBytes(32)).open(sealed)).toThrow(SecretUnreadable)
    const [version, iv, tag, ciphertext] = sealed.split(':') as [string, string, string, string]
    const flipped = (ciphertext[0] === 'A' ? 'B' : 'A') + ciphertext.slice(1)
    expect(() => box.open([version, iv, tag, flipped].join(':'))).toThrow(SecretUnreadable)
    expect(() => box.open('app-secret-value')).toThrow(SecretUnreadable)
    expect(() => box.open('v2:a:b:c')).toThrow(SecretUnreadable)
  })

  it('wants a 32-byte key', () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow()
  })
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
