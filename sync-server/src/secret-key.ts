/**
 * The key that seals secrets at rest (store/secrets.ts): `ATENDE_SECRET_KEY` when set, else the key
 * file `DATA_DIR/secret.key`, created on the first start. Read once at start-up, like config.ts,
 * and passed to the store.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { ConfigError } from './config.js'

export const SECRET_KEY_FILE = 'secret.key'
const KEY_BYTES = 32

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
