/**
 * Delivery state of our sends: the receipt each agent message shows, the wamid index entry that
 * ties a send to its message, and the statuses that arrive before that entry. The outbound side
 * reports what a send became; the inbound side reports what WhatsApp says about it; only this
 * module decides what the receipt becomes.
 *
 * Status ranking. WhatsApp delivers status reports at least once and in any order, so a receipt
 * only moves forward: sent < delivered < read, and a late `delivered` after `read` changes nothing.
 * `failed` is taken only before delivery (after it, a failure report is stale) and then sticks:
 * retrying a failed message is a deliberate server action, not a status report. `unknown` (the
 * server lost an attempt's outcome in a crash) ranks below everything. A receipt never moves back
 * through a status report; it is only replaced by the server's own record of the send: its settled
 * outcome (`writeSendOutcome`) or a retry's reset to pending (`clearReceipt`).
 *
 * The wamid index (`wa_messages`, direction `out`). Once Meta accepts a send, the outbox settles it
 * and `recordSent` links its wamid to the conversation and message; statuses and customer
 * reactions name our message only by that wamid.
 *
 * Pending statuses. A status may overtake the send that produced it (Meta's webhook can come before
 * its answer to our call is settled). The inbound side stores it unapplied (`wa_statuses`), and
 * `recordSent` applies it, with reactions to that send, as soon as the wamid is indexed. The index
 * row is committed first, so a crash before the waiting statuses are applied is repaired at
 * start-up (`resumeStranded`), which finds statuses waiting for a wamid the index now has.
 */
import {
  conversationDocName,
  ORIGIN,
  readReceipt,
  writeReceipt,
  type Origin,
  type Receipt,
} from '@atende/shared'
import type * as Y from 'yjs'
import type { Logger } from '../log.js'
import type { Db } from '../store/db.js'
import { createWaMessageStore, type StatusRow } from '../store/wa-messages.js'
import { UnknownDocument, type DocManager } from '../sync/docs.js'
import type { SharedDoc } from '../sync/shared-doc.js'
import { writeReaction } from './reactions.js'

const STATUS_RANK: Record<Receipt['status'], number> = {
  unknown: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  failed: 4,
}

/** The receipt to keep when a status report `next` arrives (see the ranking above). */
export function advanceReceipt(current: Receipt | undefined, next: Receipt): Receipt {
  if (!current) return next
  const kept = advanceStatus(current, next)
  // The billing facts come with any status (usually `sent`): keep the first ones given.
  const billingCategory = kept.billingCategory ?? next.billingCategory ?? current.billingCategory
  const conversationOrigin =
    kept.conversationOrigin ?? next.conversationOrigin ?? current.conversationOrigin
  if (billingCategory === kept.billingCategory && conversationOrigin === kept.conversationOrigin)
    return kept
  return {
    ...kept,
    ...(billingCategory && { billingCategory }),
    ...(conversationOrigin && { conversationOrigin }),
  }
}

function advanceStatus(current: Receipt, next: Receipt): Receipt {
  if (current.status === 'failed') return current
  if (next.status === 'failed') {
    return STATUS_RANK[current.status] <= STATUS_RANK.sent
      ? { ...next, waMessageId: next.waMessageId ?? current.waMessageId }
      : current
  }
  return STATUS_RANK[next.status] > STATUS_RANK[current.status]
    ? { ...next, waMessageId: next.waMessageId ?? current.waMessageId }
    : current
}

/** A status report of one of our sends as the receipt it stands for. */
export function receiptOfStatus(row: StatusRow): Receipt {
  return {
    status: row.status,
    waMessageId: row.wamid,
    at: row.at,
    ...(row.error ? { error: row.error } : {}),
    ...(row.billingCategory ? { billingCategory: row.billingCategory } : {}),
    ...(row.conversationOrigin ? { conversationOrigin: row.conversationOrigin } : {}),
  }
}

/** Lays a status report over a message's receipt, forward only, in the caller's transaction. */
export function writeStatus(doc: Y.Doc, messageId: string, receipt: Receipt): void {
  const current = readReceipt(doc, messageId)
  const kept = advanceReceipt(current, receipt)
  if (kept !== current) writeReceipt(doc, messageId, kept, ORIGIN.whatsapp)
}

/** What the outbox settled a send as: handed to Meta with its wamid, or not. */
export type SendOutcome =
  { status: 'sent'; wamid: string } | { status: 'failed' | 'unknown'; error: string | null }

/**
 * Writes a settled send's outcome as its message's receipt, replacing the one in place (origin
 * 'whatsapp'), unless that one says so already: a `sent` keeps a receipt that a status report
 * carrying its wamid has moved on; a failure is written once.
 */
export function writeSendOutcome(
  shared: SharedDoc,
  messageId: string,
  outcome: SendOutcome,
  at: number,
): void {
  const current = readReceipt(shared.doc, messageId)
  let next: Receipt
  if (outcome.status === 'sent') {
    if (current?.waMessageId === outcome.wamid) return
    next = { status: 'sent', waMessageId: outcome.wamid, at }
  } else {
    if (current?.status === outcome.status && current.error === (outcome.error ?? undefined)) return
    next = { status: outcome.status, ...(outcome.error ? { error: outcome.error } : {}), at }
  }
  shared.transact((doc) => writeReceipt(doc, messageId, next, ORIGIN.whatsapp), ORIGIN.whatsapp)
}

/** Removes a message's receipt: it shows pending again (a retry). */
export function clearReceipt(shared: SharedDoc, messageId: string, origin: Origin): void {
  shared.transact((doc) => writeReceipt(doc, messageId, null, origin), origin)
}

export interface DeliveryOptions {
  db: Db
  docs: Pick<DocManager, 'get'>
  log: Logger
}

export interface Delivery {
  /** Links a sent agent message to its wamid and applies the statuses and reactions it had waiting. */
  recordSent(wamid: string, conversationId: string, messageId: string): void
  /** Start-up: applies statuses and reactions left waiting although their wamid got recorded. */
  resumeStranded(): number
}

export function createDelivery(options: DeliveryOptions): Delivery {
  const { db, docs, log } = options
  const wa = createWaMessageStore(db)

  /** Applies the statuses and reactions waiting for `wamid` to its message, then marks them. */
  function applyWaiting(wamid: string, conversationId: string, messageId: string): void {
    const statuses = wa.pendingStatuses(wamid)
    const reactions = wa.pendingReactions(wamid)
    if (statuses.length === 0 && reactions.length === 0) return
    try {
      docs.get(conversationDocName(conversationId)).transact((doc) => {
        for (const row of statuses) writeStatus(doc, messageId, receiptOfStatus(row))
        for (const row of reactions) {
          writeReaction(doc, { messageId, contactId: row.contactId, emoji: row.emoji, at: row.at })
        }
      }, ORIGIN.whatsapp)
    } catch (err) {
      if (!(err instanceof UnknownDocument)) throw err
      log.info('waiting statuses for a closed conversation dropped', { statuses: statuses.length })
    }
    db.transaction(() => {
      wa.markStatusesApplied(wamid)
      for (const row of reactions) wa.markReactionApplied(row.targetWamid, row.contactId)
    })()
    log.debug('waiting statuses applied', {
      statuses: statuses.length,
      reactions: reactions.length,
    })
  }

  return {
    recordSent(wamid, conversationId, messageId) {
      wa.insert({ wamid, direction: 'out', conversationId, messageId, createdAt: Date.now() })
      const row = wa.get(wamid)
      if (!row || row.direction !== 'out') {
        log.warn('recordSent for a wamid known as a customer message', {})
        return
      }
      try {
        applyWaiting(wamid, row.conversationId, row.messageId)
      } catch (err) {
        // The wamid is recorded: start-up applies what is still waiting.
        log.error('applying waiting statuses failed', { err })
      }
    },
    resumeStranded() {
      const wamids = wa.strandedStatusWamids()
      for (const wamid of wamids) {
        const row = wa.get(wamid)
        if (row) applyWaiting(wamid, row.conversationId, row.messageId)
      }
      return wamids.length
    },
  }
}
