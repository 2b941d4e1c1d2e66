/**
 * The 24-hour customer service window: free-form messages only while it is open, templates always.
 * Refused here, before any Graph call; Meta's own 131047 is still handled by the sender.
 */
import {
  isServiceWindowOpen,
  readMeta,
  serviceWindowClosesAt,
  type AgentMessage,
} from '@atende/shared'
import type * as Y from 'yjs'

/** The reason shown to the agent (the same words as GraphError's 131047). */
export const WINDOW_CLOSED = 'outside the 24-hour window: send a template'

export interface ServiceWindow {
  /** When the window closes (ms epoch), or null when the customer never wrote. */
  closesAt: number | null
  open: boolean
}

/** The conversation's window as of `now`. */
export function serviceWindow(doc: Y.Doc, now: number): ServiceWindow {
  const last = readMeta(doc).lastCustomerMessageAt ?? null
  return { closesAt: serviceWindowClosesAt(last), open: isServiceWindowOpen(last, now) }
}

/** Null when the message may be sent now, else the reason it may not. */
export function windowRefusal(doc: Y.Doc, message: AgentMessage, now: number): string | null {
  if (message.template) return null
  return serviceWindow(doc, now).open ? null : WINDOW_CLOSED
}
