/**
 * Writes a settled outbox row's outcome into its conversation doc as a receipt (origin
 * 'whatsapp') and hands a sent message's wamid to the inbound side, then marks the row synced.
 * Idempotent: start-up calls it for every row left unsynced by a crash between the two writes.
 */
import {
  conversationDocName,
  ORIGIN,
  readReceipt,
  replaceReceipt,
  type Receipt,
} from '@atende/shared'
import type { Logger } from '../../log.js'
import type { Outbox } from '../../store/outbox.js'
import { UnknownDocument, type DocManager } from '../../sync/docs.js'

export interface SettlerOptions {
  outbox: Outbox
  docs: Pick<DocManager, 'get'>
  recordOutbound(wamid: string, conversationId: string, messageId: string): void
  log: Logger
  now: () => number
}

export function createSettler(options: SettlerOptions) {
  const { outbox, docs, log, now } = options

  function writeReceipt(conversationId: string, messageId: string, receipt: Receipt | null): void {
    const shared = docs.get(conversationDocName(conversationId))
    shared.transact(
      (doc) => replaceReceipt(doc, messageId, receipt, ORIGIN.whatsapp),
      ORIGIN.whatsapp,
    )
  }

  function settle(messageId: string): void {
    const row = outbox.get(messageId)
    if (!row || row.synced) return
    try {
      const shared = docs.get(conversationDocName(row.conversationId))
      const current = readReceipt(shared.doc, messageId)
      const at = now()
      if (row.state === 'sent' && row.wamid) {
        // A status the inbound side applied already carries this wamid: keep it.
        if (current?.waMessageId !== row.wamid) {
          writeReceipt(row.conversationId, messageId, {
            status: 'sent',
            waMessageId: row.wamid,
            at,
          })
        }
        options.recordOutbound(row.wamid, row.conversationId, messageId)
      } else if (row.state === 'failed' || row.state === 'unknown') {
        if (current?.status !== row.state || current.error !== (row.error ?? undefined)) {
          const error = row.error ? { error: row.error } : {}
          writeReceipt(row.conversationId, messageId, { status: row.state, ...error, at })
        }
      }
      outbox.markSynced(messageId)
    } catch (err) {
      if (err instanceof UnknownDocument) return outbox.markSynced(messageId)
      // Left unsynced: the next start-up writes it.
      log.error('writing a send outcome failed', { messageId, err })
    }
  }

  return { writeReceipt, settle }
}
