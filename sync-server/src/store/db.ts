import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import { MIGRATIONS } from './migrations.js'

export type Db = Database.Database

/**
 * Opens (creating if needed) the SQLite database in WAL mode and brings its schema up to date.
 *
 * Durability: WAL with `synchronous = NORMAL` makes every committed transaction survive a crash of
 * this process (`kill -9`): the WAL is written before `COMMIT` returns. Only an OS crash or power cut
 * can lose the last transactions; `synchronous: 'FULL'` (`SQLITE_SYNCHRONOUS=FULL`) trades
 * throughput for that too.
 */
export function openDatabase(file: string, options: { synchronous?: 'NORMAL' | 'FULL' } = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`)
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db)
  return db
}

/** Applies every migration not yet applied, each in its own transaction, in order. */
export function migrate(db: Db): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  )
  const applied = new Set(
    (db.prepare('SELECT id FROM schema_migrations').all() as { id: number }[]).map((row) => row.id),
  )
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.id)) continue
    db.transaction(() => {
      db.exec(migration.sql)
      db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(
        migration.id,
        migration.name,
        Date.now(),
      )
    })()
  }
}
