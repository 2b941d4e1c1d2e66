/**
 * Our sends' wamids, and what was waiting for them. The outbound side calls `recordOutbound` once a
 * send succeeds; statuses (and customer reactions) that arrived before it are applied then. The
 * wamid row is committed first, so a crash before the waiting statuses are applied is repaired at
 * start-up (`resumeStranded`), which finds statuses waiting for a wamid the index now has.
 */
import { conversationDocName, ORIGIN, writeReceipt, type Receipt } from '@atende/shared'
import type { Logger } from '../../log.js'
import type { Db } from '../../store/db.js'
import type { StatusRow, WaMessageStore } from '../../store/wa-messages.js'
import type { DocManager } from '../../sync/docs.js'
import { UnknownDocument } from '../../sync/docs.js'
import { writeReaction } from './write.js'

export interface OutboundRecorderDeps {
  db: Db
  docs: DocManager
  wa: WaMessageStore
  log: Logger
}

export function receiptOf(row: StatusRow): Receipt {
  return {
    status: row.status,
    waMessageId: row.wamid,
    at: row.at,
    ...(row.error ? { error: row.error } : {}),
    ...(row.billingCategory ? { billingCategory: row.billingCategory } : {}),
    ...(row.conversationOrigin ? { conversationOrigin: row.conversationOrigin } : {}),
  }
}

export function createOutboundRecorder(deps: OutboundRecorderDeps) {
  const { db, docs, wa, log } = deps

  /** Applies the statuses and reactions waiting for `wamid` to its message, then marks them. */
  function settle(wamid: string, conversationId: string, messageId: string): void {
    const statuses = wa.pendingStatuses(wamid)
    const reactions = wa.pendingReactions(wamid)
    if (statuses.length === 0 && reactions.length === 0) return
    try {
      docs.get(conversationDocName(conversationId)).transact((doc) => {
        for (const row of statuses) writeReceipt(doc, messageId, receiptOf(row), ORIGIN.whatsapp)
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
    /** Links a sent agent message to its wamid and applies what arrived before it. */
    record(wamid: string, conversationId: string, messageId: string): void {
      wa.insert({ wamid, direction: 'out', conversationId, messageId, createdAt: Date.now() })
      const row = wa.get(wamid)
      if (!row || row.direction !== 'out') {
        log.warn('recordOutbound for a wamid known as a customer message', {})
        return
      }
      try {
        settle(wamid, row.conversationId, row.messageId)
      } catch (err) {
        // The wamid is recorded: start-up applies what is still waiting.
        log.error('applying waiting statuses failed', { err })
      }
    },
    /** Start-up: statuses and reactions left waiting although their wamid got recorded. */
    resumeStranded(): number {
      const wamids = wa.strandedStatusWamids()
      for (const wamid of wamids) {
        const row = wa.get(wamid)
        if (row) settle(wamid, row.conversationId, row.messageId)
      }
      return wamids.length
    },
  }
}

export type OutboundRecorder = ReturnType<typeof createOutboundRecorder>
