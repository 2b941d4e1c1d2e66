import type { Migration } from '../migrations.js'

/**
 * Customers' files whose content does not match their declared type (issue 18): kept, but served
 * only as a download (application/octet-stream, attachment), never inline.
 */
export const mediaMismatch: Migration = {
  id: 14,
  name: 'media-mismatch',
  sql: `
    -- Why the downloaded bytes do not match mime_type (a MediaMismatchReason such as 'markup'),
    -- or NULL when they do (or were not checked: a type with no signature check).
    ALTER TABLE customer_media ADD COLUMN mismatch TEXT;
  `,
}
