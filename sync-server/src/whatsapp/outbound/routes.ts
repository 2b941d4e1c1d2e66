/**
 * The outbound API, mounted at `/api` behind the session: templates, template sends, attachments,
 * read receipts and their setting, the 24-hour window, and an agent's retry of a failed message.
 */
import { ORIGIN, readReceipt } from '@atende/shared'
import { Hono } from 'hono'
import * as v from 'valibot'
import { ApiError } from '../../http/errors.js'
import type { AuthEnv } from '../../http/middleware/auth.js'
import { readJson } from '../../http/validate.js'
import type { Logger } from '../../log.js'
import type { AgentMediaStore } from '../../store/agent-media.js'
import type { AuditLog } from '../../store/audit.js'
import type { Outbox } from '../../store/outbox.js'
import type { SettingsStore } from '../../store/settings.js'
import type { TemplateStore } from '../../store/templates.js'
import type { DocManager } from '../../sync/docs.js'
import type { ChannelHolder } from '../channel.js'
import { clearReceipt } from '../delivery.js'
import { attachmentRoutes } from './attachments.js'
import { conversationDoc, conversationIdOf } from './conversation-doc.js'
import { findMessage } from './payload.js'
import { readReceiptRoutes } from './read-receipts.js'
import { templateRoutes, templateSendRoutes } from './templates.js'
import { serviceWindow } from './window.js'

export interface OutboundRouteDeps {
  docs: DocManager
  channel: Pick<ChannelHolder, 'config' | 'client'>
  outbox: Outbox
  media: AgentMediaStore
  templates: TemplateStore
  settings: SettingsStore
  log: Logger
  /** Admins' changes of templates and of the read-receipts setting are recorded here. */
  audit?: AuditLog
  dataDir: string
  now(): number
  /** Something was queued: send soon. */
  wake(): void
}

const Retry = v.object({ confirm: v.optional(v.boolean('must be true or false'), false) })

export function outboundRoutes(deps: OutboundRouteDeps) {
  const { docs, outbox } = deps
  const app = new Hono<AuthEnv>()
  app.route('/templates', templateRoutes(deps))
  app.route('/', templateSendRoutes(deps))
  app.route('/', attachmentRoutes(deps))
  app.route('/', readReceiptRoutes(deps))

  app.get('/conversations/:id/window', (c) => {
    const shared = conversationDoc(docs, c.req.param('id'))
    return c.json(serviceWindow(shared.doc, deps.now()))
  })

  /**
   * Sends a failed message again: the outbox row goes back to `queued` (committed first), then the
   * receipt is removed so the message shows pending. A message whose outcome is `unknown` may
   * have reached the customer: only with `confirm: true` (the agent accepts a possible duplicate).
   */
  app.post('/conversations/:id/messages/:messageId/retry', async (c) => {
    const shared = conversationDoc(docs, c.req.param('id'))
    const { confirm } = (await c.req.text()).trim() ? await readJson(c, Retry) : { confirm: false }
    const messageId = c.req.param('messageId').toLowerCase()
    const message = findMessage(shared.doc, messageId)
    if (message?.kind !== 'agent')
      throw new ApiError(404, 'message_not_found', 'There is no such reply in this conversation')
    const receipt = readReceipt(shared.doc, messageId)
    if (receipt?.status === 'unknown' && !confirm) {
      throw new ApiError(
        409,
        'confirm_required',
        'This message may have reached the customer already: confirm to send it again (they may get it twice)',
      )
    }
    if (receipt?.status !== 'failed' && receipt?.status !== 'unknown') {
      throw new ApiError(
        409,
        'not_retryable',
        receipt ? 'This message was sent already' : 'This message is waiting to be sent',
      )
    }
    const row = outbox.get(messageId)
    const now = deps.now()
    if (row?.state === 'sending')
      throw new ApiError(409, 'not_retryable', 'This message is being sent right now')
    if (!row) outbox.enqueue(messageId, conversationIdOf(shared), now)
    else if (row.state !== 'queued') outbox.requeue(messageId, now)
    clearReceipt(shared, messageId, ORIGIN.server)
    deps.log.info('message queued again', { messageId, after: receipt.status })
    deps.wake()
    return c.json({ queued: true }, 202)
  })
  return app
}
