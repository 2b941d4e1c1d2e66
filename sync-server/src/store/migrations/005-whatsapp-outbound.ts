import type { Migration } from '../migrations.js'

/** The outbox of agent messages to send, message templates and channel settings. */
export const whatsappOutbound: Migration = {
  id: 5,
  name: 'whatsapp-outbound',
  sql: `SELECT 1;`,
}
