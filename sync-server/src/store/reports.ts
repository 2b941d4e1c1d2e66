/**
 * Report facts and the counters reports read (tables of migration 008).
 *
 * Recording is idempotent: a message is counted the first time its id is inserted, and the
 * quarter-hour counters and the conversation's row change in the same transaction as that insert,
 * so they always agree with the facts, whatever is replayed. A conversation "starts" at its first
 * customer message (the earliest WhatsApp timestamp seen: webhooks may arrive out of order, and an
 * earlier message moves the start and its counter); its first response is the earliest agent
 * message at or after that start, recomputed whenever either side changes.
 *
 * Response times read durations per UTC day from `report_duration_days`, a cache that triggers
 * mark stale whenever a conversation row changes (here or by the close trigger) and that is rebuilt,
 * day by day, when a report reads a stale day.
 */
import {
  bucketOf,
  DAY_MS,
  DEFAULT_SHIFT_STARTS,
  SHIFTS,
  type BucketCounts,
  type ConversationTimes,
  type DurationGroups,
  type Shift,
  type ShiftStarts,
} from '@atende/shared'
import type { Db } from './db.js'

export interface MessageFact {
  id: string
  kind: 'customer' | 'agent'
  authorId: string | null
  /** Customer: the WhatsApp timestamp. Agent: the author's clock when written. */
  at: number
}

export interface SentFact {
  messageId: string
  /** When the receipt said the message reached WhatsApp (server clock). */
  at: number
}

export interface ConversationFacts {
  messages?: readonly MessageFact[]
  sent?: readonly SentFact[]
  /** The conversation's assignee now (undefined: unchanged). Frozen once it is closed. */
  assigneeId?: string | null
}

export interface ReportStore {
  /** Records what is new among `facts` in one transaction; returns how many facts were new. */
  record(conversationId: string, facts: ConversationFacts): { messages: number; sent: number }
  /** The same for several conversations, in one transaction (counters added up per bucket). */
  recordMany(facts: ReadonlyMap<string, ConversationFacts>): { messages: number; sent: number }
  /** How many message facts, and sends among them, are recorded for a conversation. */
  recordedCounts(conversationId: string): { messages: number; sent: number }
  /** Counters of buckets `first`..`last` (inclusive) that have any, in bucket order. */
  buckets(first: number, last: number): BucketCounts[]
  /** Timings of conversations started in [from, to), by start. */
  conversationTimes(from: number, to: number): ConversationTimes[]
  /**
   * Durations of conversations started on UTC days `firstDay`..`lastDay` (day numbers), grouped
   * by the agent credited. Rebuilds the days whose cached aggregate is stale first.
   */
  durationGroups(firstDay: number, lastDay: number): DurationGroups
  shiftStarts(): ShiftStarts
  setShiftStarts(starts: ShiftStarts, by: string | null): void
}

interface ConversationRow {
  started_at: number | null
  first_response_at: number | null
  first_responder: number | null
}

export function createReportStore(db: Db): ReportStore {
  const insertMessage = db.prepare(
    `INSERT INTO report_messages (id, conversation_id, kind, author_id, at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO NOTHING`,
  )
  const markSent = db.prepare(
    `UPDATE report_messages SET sent_at = ?
     WHERE id = ? AND conversation_id = ? AND kind = 'agent' AND sent_at IS NULL`,
  )
  const addToBucket = db.prepare(
    `INSERT INTO report_buckets (bucket, conversations, received, sent) VALUES (?, ?, ?, ?)
     ON CONFLICT (bucket) DO UPDATE SET
       conversations = conversations + excluded.conversations,
       received = received + excluded.received,
       sent = sent + excluded.sent`,
  )
  const conversation = db.prepare<[string], ConversationRow>(
    'SELECT started_at, first_response_at, first_responder FROM report_conversations WHERE id = ?',
  )
  const insertAgent = db.prepare(
    'INSERT INTO report_agents (agent_id) VALUES (?) ON CONFLICT (agent_id) DO NOTHING',
  )
  const agentByKey = db.prepare<[string], { key: number }>(
    'SELECT key FROM report_agents WHERE agent_id = ?',
  )
  const allAgents = db
    .prepare<[], [number, string]>('SELECT key, agent_id FROM report_agents')
    .raw(true)
  /** The agent's key, made on first use (not cached: a rolled-back transaction would forget it). */
  const agentKey = (agentId: string | null): number | null => {
    if (agentId === null) return null
    insertAgent.run(agentId)
    return agentByKey.get(agentId)!.key
  }
  const ensureConversation = db.prepare(
    'INSERT INTO report_conversations (id) VALUES (?) ON CONFLICT (id) DO NOTHING',
  )
  const setStarted = db.prepare('UPDATE report_conversations SET started_at = ? WHERE id = ?')
  const firstAgentMessage = db.prepare<[string, number], { at: number; author_id: string | null }>(
    `SELECT at, author_id FROM report_messages
     WHERE conversation_id = ? AND kind = 'agent' AND at >= ? ORDER BY at LIMIT 1`,
  )
  const setFirstResponse = db.prepare(
    'UPDATE report_conversations SET first_response_at = ?, first_responder = ? WHERE id = ?',
  )
  const setAssignee = db.prepare(
    `UPDATE report_conversations SET assignee = ?
     WHERE id = ? AND closed_at IS NULL AND assignee IS NOT ?`,
  )
  const counts = db.prepare<[string], { messages: number; sent: number }>(
    `SELECT count(*) AS messages, count(sent_at) AS sent FROM report_messages WHERE conversation_id = ?`,
  )
  const bucketRows = db
    .prepare<[number, number], BucketCounts>(
      `SELECT bucket, conversations, received, sent FROM report_buckets
       WHERE bucket BETWEEN ? AND ? ORDER BY bucket`,
    )
    .raw(true)
  const timeRows = db
    .prepare<[number, number], ConversationTimes>(
      // Resolution is credited to the assignee at close, else to whoever answered first.
      `SELECT c.started_at, c.first_response_at, responder.agent_id, c.closed_at,
              coalesce(assignee.agent_id, responder.agent_id)
       FROM report_conversations c
       LEFT JOIN report_agents responder ON responder.key = c.first_responder
       LEFT JOIN report_agents assignee ON assignee.key = c.assignee
       WHERE c.started_at >= ? AND c.started_at < ? ORDER BY c.started_at`,
    )
    .raw(true)
  // One pass over the conversations' index: SQLite builds four JSON arrays (durations and agent
  // keys, of first responses and of resolutions) in C, and JSON.parse reads a hundred thousand
  // numbers in a few milliseconds, far cheaper than a hundred thousand rows.
  const durations = db
    .prepare<[number, number], [string, string, string, string]>(
      `SELECT
         json_group_array(first_response_at - started_at) FILTER (WHERE first_response_at >= started_at),
         json_group_array(first_responder) FILTER (WHERE first_response_at >= started_at),
         json_group_array(closed_at - started_at) FILTER (WHERE closed_at >= started_at),
         json_group_array(coalesce(assignee, first_responder)) FILTER (WHERE closed_at >= started_at)
       FROM report_conversations WHERE started_at >= ? AND started_at < ?`,
    )
    .raw(true)
  const freshDays = db
    .prepare<[number, number], number>(
      'SELECT day FROM report_duration_days WHERE day BETWEEN ? AND ? AND fresh = 1',
    )
    .pluck()
  const saveDay = db.prepare(
    `INSERT INTO report_duration_days
       (day, fresh, first_responses, first_responders, resolutions, resolvers)
     VALUES (?, 1, ?, ?, ?, ?)
     ON CONFLICT (day) DO UPDATE SET fresh = 1, first_responses = excluded.first_responses,
       first_responders = excluded.first_responders, resolutions = excluded.resolutions,
       resolvers = excluded.resolvers`,
  )
  const dayRows = db
    .prepare<[number, number], [string, string, string, string]>(
      `SELECT first_responses, first_responders, resolutions, resolvers
       FROM report_duration_days WHERE day BETWEEN ? AND ?`,
    )
    .raw(true)
  const refreshDays = db.transaction((firstDay: number, lastDay: number) => {
    const fresh = new Set(freshDays.all(firstDay, lastDay))
    for (let day = firstDay; day <= lastDay; day++) {
      if (!fresh.has(day)) saveDay.run(day, ...durations.get(day * DAY_MS, (day + 1) * DAY_MS)!)
    }
  })
  const groupByAgent = (values: number[], keys: (number | null)[], ids: Map<number, string>) => {
    const groups = new Map<number | null, number[]>()
    for (let i = 0; i < values.length; i++) {
      const key = keys[i]!
      let list = groups.get(key)
      if (!list) groups.set(key, (list = []))
      list.push(values[i]!)
    }
    return [...groups].map(
      ([key, list]) => [key === null ? null : (ids.get(key) ?? null), list] as const,
    )
  }
  const shiftRows = db.prepare<[], { shift: Shift; starts_at: number }>(
    'SELECT shift, starts_at FROM report_shifts',
  )
  const upsertShift = db.prepare(
    `INSERT INTO report_shifts (shift, starts_at, updated_at, updated_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (shift) DO UPDATE SET starts_at = excluded.starts_at,
       updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  )

  /**
   * Counter changes of one transaction, added up per bucket and written at its end: a burst of
   * messages in the same quarter hour is one upsert, not one per message.
   */
  type Deltas = Map<number, [conversations: number, received: number, sent: number]>
  const add = (
    deltas: Deltas,
    bucket: number,
    conversations: number,
    received: number,
    sent: number,
  ) => {
    const delta = deltas.get(bucket)
    if (delta) {
      delta[0] += conversations
      delta[1] += received
      delta[2] += sent
    } else deltas.set(bucket, [conversations, received, sent])
  }
  const writeDeltas = (deltas: Deltas) => {
    for (const [bucket, [conversations, received, sent]] of deltas) {
      if (conversations !== 0 || received !== 0 || sent !== 0)
        addToBucket.run(bucket, conversations, received, sent)
    }
  }

  const recordOne = (conversationId: string, facts: ConversationFacts, deltas: Deltas) => {
    let newMessages = 0
    let newAgentMessages = 0
    let newSends = 0
    let earliestCustomer = Infinity
    for (const fact of facts.messages ?? []) {
      if (
        insertMessage.run(fact.id, conversationId, fact.kind, fact.authorId, fact.at).changes === 0
      )
        continue
      newMessages++
      if (fact.kind === 'customer') {
        add(deltas, bucketOf(fact.at), 0, 1, 0)
        earliestCustomer = Math.min(earliestCustomer, fact.at)
      } else newAgentMessages++
    }
    for (const fact of facts.sent ?? []) {
      if (markSent.run(fact.at, fact.messageId, conversationId).changes === 0) continue
      newSends++
      add(deltas, bucketOf(fact.at), 0, 0, 1)
    }
    if (newMessages === 0 && facts.assigneeId === undefined) return { messages: 0, sent: newSends }

    ensureConversation.run(conversationId)
    const row = conversation.get(conversationId)!
    let startedAt = row.started_at
    if (earliestCustomer < (startedAt ?? Infinity)) {
      // A new start (or an earlier one, from a late webhook): the count moves with it.
      if (startedAt !== null) add(deltas, bucketOf(startedAt), -1, 0, 0)
      add(deltas, bucketOf(earliestCustomer), 1, 0, 0)
      startedAt = earliestCustomer
      setStarted.run(startedAt, conversationId)
    }
    // The first response moves only with a new agent message or a new start (customer messages
    // after the start change nothing).
    if (startedAt !== null && (newAgentMessages > 0 || startedAt !== row.started_at)) {
      const first = firstAgentMessage.get(conversationId, startedAt)
      const at = first?.at ?? null
      const by = agentKey(first?.author_id ?? null)
      if (at !== row.first_response_at || by !== row.first_responder) {
        setFirstResponse.run(at, by, conversationId)
      }
    }
    if (facts.assigneeId !== undefined) {
      const key = agentKey(facts.assigneeId)
      setAssignee.run(key, conversationId, key)
    }
    return { messages: newMessages, sent: newSends }
  }
  const recordMany = db.transaction((all: ReadonlyMap<string, ConversationFacts>) => {
    const deltas: Deltas = new Map()
    const recorded = { messages: 0, sent: 0 }
    for (const [conversationId, facts] of all) {
      const { messages, sent } = recordOne(conversationId, facts, deltas)
      recorded.messages += messages
      recorded.sent += sent
    }
    writeDeltas(deltas)
    return recorded
  })

  return {
    record: (conversationId, facts) => recordMany(new Map([[conversationId, facts]])),
    recordMany: (facts) => (facts.size === 0 ? { messages: 0, sent: 0 } : recordMany(facts)),
    recordedCounts: (conversationId) => counts.get(conversationId) ?? { messages: 0, sent: 0 },
    buckets: (first, last) => bucketRows.all(first, last),
    conversationTimes: (from, to) => timeRows.all(from, to),
    durationGroups(firstDay, lastDay) {
      refreshDays(firstDay, lastDay)
      const parts: [number[], (number | null)[], number[], (number | null)[]] = [[], [], [], []]
      for (const row of dayRows.all(firstDay, lastDay)) {
        row.forEach((json, i) => {
          const target = parts[i]!
          for (const value of JSON.parse(json) as (number | null)[]) target.push(value as number)
        })
      }
      const ids = new Map(allAgents.all())
      return {
        firstResponse: groupByAgent(parts[0], parts[1], ids),
        resolution: groupByAgent(parts[2], parts[3], ids),
      }
    },
    shiftStarts() {
      const starts: ShiftStarts = { ...DEFAULT_SHIFT_STARTS }
      for (const row of shiftRows.all()) starts[row.shift] = row.starts_at
      return starts
    },
    setShiftStarts: db.transaction((starts: ShiftStarts, by: string | null) => {
      const now = Date.now()
      for (const shift of SHIFTS) upsertShift.run(shift, starts[shift], now, by)
    }),
  }
}
