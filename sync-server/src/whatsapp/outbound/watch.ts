/**
 * Finds agent messages to send. Every conversation doc is scanned as it loads (messages may have
 * been appended while it was loading, or before this watcher was attached) and then observed for
 * appends, whoever wrote them: an agent's client over y-websocket (a reconnecting client's whole
 * offline burst arrives as one update) or the server (attachments, templates). Each agent message
 * with no receipt is queued in doc order; the outbox key makes that exactly-once however many times
 * a message is seen. Notes, customer messages and events are never queued.
 */
import { conversationParts, type Message } from '@atende/shared'
import type * as Y from 'yjs'
import type { Logger } from '../../log.js'
import type { Outbox } from '../../store/outbox.js'
import type { DocManager } from '../../sync/docs.js'
import type { SharedDoc } from '../../sync/shared-doc.js'

export interface WatcherOptions {
  docs: Pick<DocManager, 'onLoad'>
  outbox: Outbox
  log: Logger
  now?: () => number
  /** Called after messages were queued. */
  onQueued(): void
}

/** Whether a value from a `messages` array is a message that goes to WhatsApp. */
export function isOutgoing(value: unknown): value is Message & { kind: 'agent' } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Message).kind === 'agent' &&
    typeof (value as Message).id === 'string'
  )
}

/** Attaches to every conversation doc loaded now and later; returns the detach. */
export function watchConversations(options: WatcherOptions): () => void {
  const { outbox, log } = options
  const now = options.now ?? Date.now
  const detachers = new Set<() => void>()

  function queue(conversationId: string, candidates: Message[], receipts: Y.Map<unknown>): void {
    let queued = 0
    for (const message of candidates) {
      if (!isOutgoing(message) || receipts.has(message.id)) continue
      if (outbox.enqueue(message.id, conversationId, now())) queued++
    }
    if (queued > 0) {
      log.debug('messages queued', { conversationId, count: queued })
      options.onQueued()
    }
  }

  function attach(shared: SharedDoc): void {
    if (shared.name.kind !== 'conversation') return
    const conversationId = shared.name.conversationId
    const { messages, receipts } = conversationParts(shared.doc)
    queue(conversationId, messages.toArray() as Message[], receipts)
    // `delta` lists inserts in document order, so an offline burst is queued in the order shown.
    const observer = (event: Y.YArrayEvent<unknown>) => {
      const added: Message[] = []
      for (const change of event.delta) {
        if (Array.isArray(change.insert)) added.push(...(change.insert as Message[]))
      }
      try {
        queue(conversationId, added, receipts)
      } catch (err) {
        // The doc is already written; the next load's scan queues what was missed.
        log.error('queueing messages failed', { conversationId, err })
      }
    }
    messages.observe(observer)
    // Detached on the doc's unload (Yjs drops its observers then) or when the watcher stops.
    const onDestroy = () => detachers.delete(detach)
    const detach = () => {
      messages.unobserve(observer)
      shared.doc.off('destroy', onDestroy)
      detachers.delete(detach)
    }
    detachers.add(detach)
    shared.doc.on('destroy', onDestroy)
  }

  const unsubscribe = options.docs.onLoad(attach)
  return () => {
    unsubscribe()
    for (const detach of [...detachers]) detach()
  }
}
