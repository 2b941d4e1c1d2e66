/**
 * Writes a settled outbox row's outcome into its conversation doc as a receipt and hands a sent
 * message's wamid to the delivery side (../delivery.ts), then marks the row synced. Idempotent:
 * start-up calls it for every row left unsynced by a crash between the two writes.
 */
import { conversationDocName } from '@atende/shared'
import type { Logger } from '../../log.js'
import type { Outbox } from '../../store/outbox.js'
import { UnknownDocument, type DocManager } from '../../sync/docs.js'
import { writeSendOutcome, type Delivery } from '../delivery.js'

export interface SettlerOptions {
  outbox: Outbox
  docs: Pick<DocManager, 'get'>
  delivery: Pick<Delivery, 'recordSent'>
  log: Logger
  now: () => number
}

export function createSettler(options: SettlerOptions): (messageId: string) => void {
  const { outbox, docs, delivery, log, now } = options

  return function settle(messageId: string): void {
    const row = outbox.get(messageId)
    if (!row || row.synced) return
    try {
      const shared = docs.get(conversationDocName(row.conversationId))
      const at = now()
      if (row.state === 'sent' && row.wamid) {
        writeSendOutcome(shared, messageId, { status: 'sent', wamid: row.wamid }, at)
        delivery.recordSent(row.wamid, row.conversationId, messageId)
      } else if (row.state === 'failed' || row.state === 'unknown') {
        writeSendOutcome(shared, messageId, { status: row.state, error: row.error }, at)
      }
      outbox.markSynced(messageId)
    } catch (err) {
      if (err instanceof UnknownDocument) return outbox.markSynced(messageId)
      // Left unsynced: the next start-up writes it.
      log.error('writing a send outcome failed', { messageId, err })
    }
  }
}
