/**
 * Secrets at rest: values an admin saves (the WhatsApp access token, the app secret) are sealed
 * with AES-256-GCM before they reach SQLite, so a copy of the database alone never holds one in
 * plain text. The key is `ATENDE_SECRET_KEY` when set, else the key file `DATA_DIR/secret.key`
 * (created on the first start, mode 0600; read by ../secret-key.ts and passed in). Back the key up
 * with the database: without it, sealed values cannot be opened and must be entered again.
 *
 *   sealed = 'v1:' + base64url(iv) + ':' + base64url(tag) + ':' + base64url(ciphertext)
 *
 * A fresh 12-byte IV per value; the 16-byte GCM tag makes a wrong key or a tampered value fail
 * loudly ({@link SecretUnreadable}) rather than open to garbage.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

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
