/**
 * Read receipts: when an agent opens a conversation with unread customer messages, its card's
 * unread count goes back to 0 and (a team setting, on by default) the latest customer message is
 * marked read on WhatsApp, so the customer sees blue ticks. Only the request that finds unread
 * messages calls Meta: two agents opening the conversation at once mark it read once.
 */
import { readMessages, type CustomerMessage } from '@atende/shared'
import { Hono } from 'hono'
import * as v from 'valibot'
import { requireAdmin, type AuthEnv } from '../../http/middleware/auth.js'
import { readJson } from '../../http/validate.js'
import { updateInboxEntry } from '../../lifecycle/inbox.js'
import type { Logger } from '../../log.js'
import type { AuditLog } from '../../store/audit.js'
import type { SettingsStore } from '../../store/settings.js'
import type { DocManager } from '../../sync/docs.js'
import type { ChannelHolder } from '../channel.js'
import { GraphError } from '../graph.js'
import { conversationDoc, conversationIdOf } from './conversation-doc.js'

export interface ReadReceiptDeps {
  docs: DocManager
  channel: Pick<ChannelHolder, 'config' | 'client'>
  settings: SettingsStore
  log: Logger
  /** Records admins' changes of the setting (`settings.read_receipts`). */
  audit?: AuditLog
}

/** The wamid of the conversation's latest customer message (doc order is arrival-time order). */
export function latestCustomerWamid(messages: readonly { kind: string }[]): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!
    if (message.kind === 'customer') return (message as CustomerMessage).waMessageId
  }
  return null
}

const ReadReceiptsSetting = v.object({ enabled: v.boolean('must be true or false') })

export function readReceiptRoutes(deps: ReadReceiptDeps) {
  const { docs, channel, settings, log } = deps
  const app = new Hono<AuthEnv>()

  app.post('/conversations/:id/seen', async (c) => {
    const shared = conversationDoc(docs, c.req.param('id'))
    const conversationId = conversationIdOf(shared)
    let unread = 0
    updateInboxEntry(docs, conversationId, (entry) => {
      unread = entry.unread
      return entry.unread === 0 ? entry : { ...entry, unread: 0 }
    })
    let markedRead = false
    const wamid = unread > 0 ? latestCustomerWamid(readMessages(shared.doc)) : null
    if (wamid && settings.get('readReceipts') && channel.config) {
      try {
        await channel.client.markRead(wamid)
        markedRead = true
      } catch (err) {
        // Blue ticks are a courtesy: the agent's view is not held up by Meta.
        log.warn('marking read failed', {
          conversationId,
          code: err instanceof GraphError ? err.code : null,
        })
      }
    }
    return c.json({ unread: 0, markedRead })
  })

  app.get('/settings/read-receipts', (c) => c.json({ enabled: settings.get('readReceipts') }))
  app.put('/settings/read-receipts', requireAdmin(), async (c) => {
    const { enabled } = await readJson(c, ReadReceiptsSetting)
    settings.set('readReceipts', enabled)
    deps.audit?.record(c.get('actor'), 'settings.read_receipts', 'read_receipts', { enabled })
    return c.json({ enabled })
  })
  return app
}
