import { conversationParts, type Message } from '@atende/shared'
import type { Logger } from '../log.js'
import type { Db } from '../store/db.js'
import { notify } from '../store/notifications.js'
import type { DocManager } from '../sync/docs.js'

export interface MentionWatchOptions {
  docs: Pick<DocManager, 'onLoad'>
  db: Db
  log: Logger
}

/**
 * Notifies agents @mentioned in internal notes. Every conversation document is watched from the
 * moment it loads; each note appended after that with `mentions` notifies each mentioned agent
 * once (the author excepted). Notes already in a document when it loads were seen when they were
 * written, and `notify` is idempotent per message and agent, so a replay notifies nobody twice.
 * Returns a function that stops watching documents loaded from then on.
 */
export function watchMentions(options: MentionWatchOptions): () => void {
  const { db, log } = options
  return options.docs.onLoad((shared) => {
    if (shared.name.kind !== 'conversation') return
    const conversationId = shared.name.conversationId
    conversationParts(shared.doc).messages.observe((event) => {
      for (const item of event.changes.added) {
        for (const message of item.content.getContent() as Message[]) {
          if (message?.kind !== 'note' || !Array.isArray(message.mentions)) continue
          for (const agentId of new Set(message.mentions)) {
            try {
              notify(db, {
                agentId,
                kind: 'mention',
                conversationId,
                actorId: message.authorId,
                messageId: message.id,
              })
            } catch (err) {
              // A notification lost is no reason to fail the note, which is already stored.
              log.error('recording a mention failed', {
                conversationId,
                messageId: message.id,
                err,
              })
            }
          }
        }
      }
    })
  })
}
