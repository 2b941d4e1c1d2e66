/**
 * Secrets at rest: values an admin saves (the WhatsApp access token, the app secret) are sealed
 * with AES-256-GCM before they reach SQLite, so a copy of the database alone never holds one in
 * plain text. The key is `ATENDE_SECRET_KEY` when set, else the key file `DATA_DIR/secret.key`
 * (created on the first start, mode 0600). Back the key up with the database: without it, sealed
 * values cannot be opened and must be entered again.
 *
 *   sealed = 'v1:' + base64url(iv) + ':' + base64url(tag) + ':' + base64url(ciphertext)
 *
 * A fresh 12-byte IV per value; the 16-byte GCM tag makes a wrong key or a tampered value fail
 * loudly ({@link SecretUnreadable}) rather than open to garbage.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { ConfigError } from '../config.js'

export const SECRET_KEY_FILE = 'secret.key'
const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16
const VERSION = 'v1'

/** A sealed value that this key cannot open: the key changed or was lost, or the value was altered. */
export class SecretUnreadable extends Error {
  readonly code = 'secret_unreadable'
  constructor() {
    super('a saved secret cannot be opened with this key')
  }
}

export interface SecretBox {
  /** Seals a secret: `v1:<iv>:<tag>:<ciphertext>`, base64url parts. */
  seal(plain: string): string
  /** Opens a sealed value; throws {@link SecretUnreadable} when this key cannot. */
  open(sealed: string): string
}

/** A box over a 32-byte key. */
export function createSecretBox(key: Uint8Array): SecretBox {
  if (key.byteLength !== KEY_BYTES) throw new Error(`the secret key must be ${KEY_BYTES} bytes`)
  const keyBytes = Buffer.from(key)
  return {
    seal(plain) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', keyBytes, iv)
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      const tag = cipher.getAuthTag()
      return [VERSION, iv, tag, ciphertext]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join(':')
    },
    open(sealed) {
      const [version, iv, tag, ciphertext, ...rest] = sealed.split(':')
      if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined)
        throw new SecretUnreadable()
      if (rest.length > 0) throw new SecretUnreadable()
      const ivBytes = Buffer.from(iv, 'base64url')
      const tagBytes = Buffer.from(tag, 'base64url')
      if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new SecretUnreadable()
      try {
        const decipher = createDecipheriv('aes-256-gcm', keyBytes, ivBytes)
        decipher.setAuthTag(tagBytes)
        const plain = Buffer.concat([
          decipher.update(Buffer.from(ciphertext, 'base64url')),
          decipher.final(),
        ])
        return plain.toString('utf8')
      } catch {
        throw new SecretUnreadable()
      }
    },
  }
}

export interface SecretKeyOptions {
  /** `ATENDE_SECRET_KEY` as validated by config.ts; null to use the key file. */
  key: Uint8Array | null
  dataDir: string
}

/**
 * The key in force: the configured one, else `DATA_DIR/secret.key`, created on the first start
 * (32 random bytes, written base64url so it can be copied into `ATENDE_SECRET_KEY`; mode 0600).
 * Throws {@link ConfigError} when the file exists but does not hold a 32-byte key.
 */
export function loadSecretKey(options: SecretKeyOptions): Uint8Array {
  if (options.key) return options.key
  const file = path.join(options.dataDir, SECRET_KEY_FILE)
  fs.mkdirSync(options.dataDir, { recursive: true })
  try {
    // 'wx': never overwrite a key another start wrote first (the old one still opens the data).
    fs.writeFileSync(file, randomBytes(KEY_BYTES).toString('base64url') + '\n', {
      mode: 0o600,
      flag: 'wx',
    })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  const raw = fs.readFileSync(file)
  const asText = raw.toString('utf8').trim()
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(asText) ? Buffer.from(asText, 'base64') : raw
  if (key.length !== KEY_BYTES) {
    throw new ConfigError(
      'ATENDE_SECRET_KEY',
      `not set, and ${file} does not hold a ${KEY_BYTES}-byte key (base64url, or raw bytes)`,
    )
  }
  return new Uint8Array(key)
}
