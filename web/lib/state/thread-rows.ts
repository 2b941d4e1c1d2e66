import type { Message } from '@atende/shared'

/** What the thread draws, in order: a day separator before each new day, then the messages. */
export type ThreadRow =
  { kind: 'day'; key: string; at: number } | { kind: 'message'; key: string; message: Message }

/** The local calendar day of a time, as `YYYY-M-D` (only compared, never shown). */
export function dayKey(at: number): string {
  const date = new Date(at)
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`
}

/**
 * Rows for the thread: messages in document order, with a separator whenever the day changes.
 * Message rows are keyed by message id; separators by day and position, since a late message
 * written with a skewed clock can bring a day back.
 */
export function buildThreadRows(messages: readonly Message[]): ThreadRow[] {
  const rows: ThreadRow[] = []
  let previousDay = ''
  for (const message of messages) {
    const day = dayKey(message.createdAt)
    if (day !== previousDay) {
      rows.push({ kind: 'day', key: `day:${day}:${rows.length}`, at: message.createdAt })
      previousDay = day
    }
    rows.push({ kind: 'message', key: message.id, message })
  }
  return rows
}

/**
 * `buildThreadRows`, incremental: when the new message list extends the previous one (the usual
 * case, a message appended), only the new messages are turned into rows; anything else (an
 * insertion the server made further up) rebuilds. Keeps a 5,000-message thread cheap per message.
 */
export function createThreadRowBuilder(): (messages: readonly Message[]) => ThreadRow[] {
  let previous: readonly Message[] = []
  let rows: ThreadRow[] = []
  return (messages) => {
    const extends_ =
      previous.length > 0 &&
      messages.length >= previous.length &&
      messages[previous.length - 1] === previous[previous.length - 1] &&
      messages[0] === previous[0]
    if (!extends_) {
      rows = buildThreadRows(messages)
    } else if (messages.length > previous.length) {
      const added: ThreadRow[] = []
      let previousDay = dayKey(previous[previous.length - 1]!.createdAt)
      for (let i = previous.length; i < messages.length; i++) {
        const message = messages[i]!
        const day = dayKey(message.createdAt)
        if (day !== previousDay) {
          added.push({
            kind: 'day',
            key: `day:${day}:${rows.length + added.length}`,
            at: message.createdAt,
          })
          previousDay = day
        }
        added.push({ kind: 'message', key: message.id, message })
      }
      rows = [...rows, ...added]
    }
    previous = messages
    return rows
  }
}
