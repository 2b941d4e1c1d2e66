/**
 * JSON-lines logging with a namespace. The only writer to stdout/stderr in the server.
 * Never pass message bodies, phone numbers, tokens or passwords: fields named like secrets are
 * masked as a second line of defence.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error'

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
  child(namespace: string): Logger
}

const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }
const SECRET_KEY = /pass|token|secret|authorization|cookie|body|text|phone|wa_id/i

function mask(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_KEY.test(key)) out[key] = '[redacted]'
    else if (value instanceof Error) out[key] = { name: value.name, message: value.message }
    else out[key] = value
  }
  return out
}

export interface LoggerOptions {
  /** The least severe level written (default `info`); main.ts passes `config.logLevel`. */
  level?: Level
  write?: (line: string) => void
}

export function createLogger(namespace = 'atende', options: LoggerOptions = {}): Logger {
  const min = RANK[options.level ?? 'info']
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'))
  const emit = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < min) return
    write(
      JSON.stringify({
        t: new Date().toISOString(),
        level,
        ns: namespace,
        msg,
        ...(fields ? mask(fields) : {}),
      }),
    )
  }
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (child) => createLogger(`${namespace}:${child}`, { level: options.level, write }),
  }
}
