/**
 * The WhatsApp channel in force. Real credentials come from the settings an admin saved (which win,
 * and take effect without a restart: PUT /api/settings/whatsapp calls `set`) or from the
 * environment; in demo mode the embedded simulator's credentials are set once the server knows its
 * own port. Everything reads the channel through this holder, never from config directly.
 */
import type { WhatsAppConfig } from '../config.js'
import { createGraphClient, type WhatsAppChannel } from './graph.js'

export interface ChannelHolder {
  /** The credentials in force, or null while none are set. */
  readonly config: WhatsAppConfig | null
  /** A client for the credentials in force (throws when none are set). */
  readonly client: WhatsAppChannel
  /** Whether the simulator plays Meta's side. */
  readonly demo: boolean
  set(config: WhatsAppConfig | null, demo?: boolean): void
}

export function createChannelHolder(options: { fetch?: typeof fetch } = {}): ChannelHolder {
  let config: WhatsAppConfig | null = null
  let client: WhatsAppChannel | null = null
  let demo = false
  return {
    get config() {
      return config
    },
    get client() {
      if (!client) throw new Error('no WhatsApp channel is configured')
      return client
    },
    get demo() {
      return demo
    },
    set(next, isDemo = false) {
      config = next
      demo = isDemo
      client = next ? createGraphClient({ config: next, fetch: options.fetch }) : null
    },
  }
}
