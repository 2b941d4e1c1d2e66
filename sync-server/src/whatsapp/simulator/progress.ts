/**
 * How far each demo customer's story has gone, kept across restarts in `DATA_DIR/simulator.json`
 * (written whole to a temp file, then renamed over the old one: a crash leaves one or the other).
 * It lives beside the database rather than in it because it is Meta's side of the demo, not ours:
 * our server learns about these customers only through webhooks, as it would from Meta.
 *
 * `seed` is drawn once per data directory; with a step's name it makes that step's wamid, so a step
 * sent again (the file was not written before a crash) is a duplicate our server drops.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import * as v from 'valibot'
import type { Logger } from '../../log.js'

export interface PersonaProgress {
  /** Steps already sent (`opener:0`, `nudge:1`, `photo`, `edit`, …) and the wamid each went as. */
  sent: Record<string, string>
  /** The persona's messages since the last agent reply. */
  waiting: number
}

export interface Progress {
  seed: string
  personas: Record<string, PersonaProgress>
}

export interface ProgressStore {
  readonly progress: Progress
  /** The persona's record (created empty). */
  of(phone: string): PersonaProgress
  /** Writes the whole record now; a failure is logged and the demo goes on. */
  save(): void
}

const FILE_VERSION = 1

const Schema = v.object({
  version: v.literal(FILE_VERSION),
  seed: v.pipe(v.string(), v.minLength(8)),
  personas: v.record(
    v.string(),
    v.object({
      sent: v.record(v.string(), v.string()),
      waiting: v.pipe(v.number(), v.integer(), v.minValue(0)),
    }),
  ),
})

/** Progress kept in `file`, or (no file: tests) in memory only. */
export function createProgressStore(file: string | null, log: Logger): ProgressStore {
  const progress = (file && read(file, log)) || {
    seed: randomBytes(16).toString('hex'),
    personas: {},
  }
  return {
    progress,
    of(phone) {
      return (progress.personas[phone] ??= { sent: {}, waiting: 0 })
    },
    save() {
      if (!file) return
      const temp = `${file}.${process.pid}.tmp`
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true })
        fs.writeFileSync(temp, JSON.stringify({ version: FILE_VERSION, ...progress }))
        fs.renameSync(temp, file)
      } catch (err) {
        log.warn('simulator progress not saved', { err })
      }
    },
  }
}

function read(file: string, log: Logger): Progress | null {
  let raw: string
  try {
    raw = fs.readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      log.warn('simulator progress unreadable, starting over', { err })
    }
    return null
  }
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    json = undefined
  }
  const parsed = v.safeParse(Schema, json)
  if (!parsed.success) {
    log.warn('simulator progress malformed, starting over', { file: path.basename(file) })
    return null
  }
  const { seed, personas } = parsed.output
  return { seed, personas }
}
