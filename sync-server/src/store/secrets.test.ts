import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createSecretBox, SecretUnreadable } from './secrets.js'

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
