import type { Db } from './db.js'

/** Team-wide settings and their defaults; values are JSON. */
export const SETTING_DEFAULTS = {
  /** Mark customers' messages as read on WhatsApp when an agent opens the conversation. */
  readReceipts: true as boolean,
  /** The demo's canned responses and templates were seeded once (deleting them is for good). */
  demoContentSeeded: false as boolean,
}
export type SettingKey = keyof typeof SETTING_DEFAULTS
export type Settings = typeof SETTING_DEFAULTS

export interface SettingsStore {
  get<K extends SettingKey>(key: K): Settings[K]
  set<K extends SettingKey>(key: K, value: Settings[K]): void
}

/** A small key/value table; a missing or unreadable value falls back to its default. */
export function createSettingsStore(db: Db): SettingsStore {
  const select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
  const upsert = db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (@key, @value, @now)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  )
  return {
    get(key) {
      const row = select.get(key)
      if (!row) return SETTING_DEFAULTS[key]
      try {
        const value = JSON.parse(row.value) as unknown
        return typeof value === typeof SETTING_DEFAULTS[key]
          ? (value as Settings[typeof key])
          : SETTING_DEFAULTS[key]
      } catch {
        return SETTING_DEFAULTS[key]
      }
    },
    set(key, value) {
      upsert.run({ key, value: JSON.stringify(value), now: Date.now() })
    },
  }
}
