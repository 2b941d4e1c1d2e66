/**
 * Records report facts as they happen, without touching the code that writes them: every
 * conversation document is observed as the DocManager loads it.
 *
 *  - on load, the document is scanned and whatever is not recorded yet is (messages written while
 *    it was not loaded here, or before reports existed; a crash between a write and its facts);
 *  - appended messages (customer messages from WhatsApp, agent replies from browsers) are recorded
 *    as they land in `messages`;
 *  - `receipts` changing to sent (or beyond) records the send;
 *  - `meta.assigneeId` is followed, to credit resolutions to the assignee at close.
 * The close itself is recorded by a trigger on the conversations row (migration 008).
 *
 * Everything is keyed by message or conversation id, so rescans and replays change nothing. A
 * failure is logged and never reaches the writer: the next load's scan records what was missed.
 */
import { conversationParts, type CustomerMessage, type Message, type Receipt } from '@atende/shared'
import type { Logger } from '../log.js'
import type { Db } from '../store/db.js'
import { createSourceStore, type SourceStore } from '../store/conversation-sources.js'
import {
  createReportStore,
  type MessageFact,
  type ReportStore,
  type SentFact,
} from '../store/reports.js'
import type { DocManager } from '../sync/docs.js'
import type { SharedDoc } from '../sync/shared-doc.js'

export interface ReportRecorderOptions {
  db: Db
  docs: Pick<DocManager, 'onLoad'>
  log: Logger
  /** Default: a store on `db`. */
  store?: ReportStore
  /** Default: a store on `db`. */
  sources?: SourceStore
}

export interface ReportRecorder {
  stop(): void
}

const SENT_STATUSES = new Set<Receipt['status']>(['sent', 'delivered', 'read'])

/** The fact a message contributes, or null (notes, events, anything malformed). */
export function messageFact(value: unknown): MessageFact | null {
  if (typeof value !== 'object' || value === null) return null
  const message = value as Partial<Message>
  if (message.kind !== 'customer' && message.kind !== 'agent') return null
  if (typeof message.id !== 'string' || typeof message.createdAt !== 'number') return null
  if (!Number.isSafeInteger(message.createdAt)) return null
  const authorId = typeof message.authorId === 'string' ? message.authorId : null
  return { id: message.id, kind: message.kind, authorId, at: message.createdAt }
}

/** The referral a customer message brings (`[source, at]`), or null. */
export function referralFact(value: unknown): [source: string, at: number] | null {
  if (typeof value !== 'object' || value === null) return null
  const message = value as Partial<CustomerMessage>
  if (message.kind !== 'customer' || typeof message.createdAt !== 'number') return null
  const source = message.referral?.sourceType
  return typeof source === 'string' && source.length > 0 ? [source, message.createdAt] : null
}

/** The send a receipt records, or null while the message has not reached WhatsApp. */
export function sentFact(messageId: string, value: unknown): SentFact | null {
  if (typeof value !== 'object' || value === null) return null
  const receipt = value as Partial<Receipt>
  if (!receipt.status || !SENT_STATUSES.has(receipt.status)) return null
  if (typeof receipt.at !== 'number' || !Number.isSafeInteger(receipt.at)) return null
  return { messageId, at: receipt.at }
}

/** Starts observing documents (those loaded already, and every one loaded from now on). */
export function startReportRecorder(options: ReportRecorderOptions): ReportRecorder {
  const store = options.store ?? createReportStore(options.db)
  const sources = options.sources ?? createSourceStore(options.db)
  const recordReferrals = (conversationId: string, values: readonly unknown[]) => {
    for (const value of values) {
      const fact = referralFact(value)
      if (fact) sources.record(conversationId, ...fact)
    }
  }
  const log = options.log
  let stopped = false

  const guarded = (conversationId: string, what: string, work: () => void) => {
    if (stopped) return
    try {
      work()
    } catch (err) {
      log.error('recording report facts failed; the next load rescans', {
        conversationId,
        what,
        err,
      })
    }
  }

  const observe = (shared: SharedDoc) => {
    if (shared.name.kind !== 'conversation') return
    const { conversationId } = shared.name
    const { messages, receipts, meta } = conversationParts(shared.doc)

    guarded(conversationId, 'scan', () => {
      const all = messages.toArray() as unknown[]
      const facts = all.map(messageFact).filter((f) => f !== null)
      recordReferrals(conversationId, all)
      const sent = [...receipts.entries()]
        .map(([id, r]) => sentFact(id, r))
        .filter((f) => f !== null)
      const recorded = store.recordedCounts(conversationId)
      const assigneeId = meta.has('assigneeId')
        ? ((meta.get('assigneeId') as string | null) ?? null)
        : undefined
      const missing = recorded.messages !== facts.length || recorded.sent !== sent.length
      if (missing || assigneeId !== undefined) {
        store.record(
          conversationId,
          missing ? { messages: facts, sent, assigneeId } : { assigneeId },
        )
      }
    })

    messages.observe((event) =>
      guarded(conversationId, 'messages', () => {
        const facts: MessageFact[] = []
        for (const item of event.changes.added) {
          const values = item.content.getContent()
          for (const value of values) {
            const fact = messageFact(value)
            if (fact) facts.push(fact)
          }
          recordReferrals(conversationId, values)
        }
        if (facts.length > 0) store.record(conversationId, { messages: facts })
      }),
    )
    receipts.observe((event) =>
      guarded(conversationId, 'receipts', () => {
        const sent: SentFact[] = []
        for (const id of event.keysChanged) {
          const fact = sentFact(id, receipts.get(id))
          if (fact) sent.push(fact)
        }
        if (sent.length > 0) store.record(conversationId, { sent })
      }),
    )
    meta.observe((event) =>
      guarded(conversationId, 'meta', () => {
        if (!event.keysChanged.has('assigneeId')) return
        store.record(conversationId, {
          assigneeId: (meta.get('assigneeId') as string | null) ?? null,
        })
      }),
    )
  }

  const unsubscribe = options.docs.onLoad((shared) => {
    // A listener that throws would fail the load itself: nothing escapes from here.
    try {
      observe(shared)
    } catch (err) {
      log.error('observing a document for reports failed', { doc: shared.name.name, err })
    }
  })
  return {
    stop() {
      stopped = true
      unsubscribe()
    },
  }
}
