/**
 * Every `/api` route, who may call it and how large a body it takes: the one place to read the
 * API's access rules. `authorize(API_ACCESS)` (middleware/authorize.ts) enforces it in front of the
 * route files: a route not listed answers 404, `admin` routes answer 403 to agents (the route files
 * keep their own `requireAdmin()` too), and a body over the route's cap answers 413 before it is
 * read. A test (test/roles.test.ts) checks that this table and the mounted routes are the same set
 * and walks every route with every role.
 *
 * Paths are Hono patterns as mounted. Caps are in bytes of the raw body (JSON, so a character may
 * take up to 6 bytes escaped); bodiless POST/DELETE routes get 1 KiB so a client sending `{}` is
 * not refused; GET routes take none.
 */
import { MAX_ATTACHMENT_BYTES } from '../whatsapp/outbound/media-types.js'

export type Access = 'public' | 'signed-in' | 'admin'
export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RouteAccess {
  method: ApiMethod
  /** The Hono pattern as mounted, e.g. `/api/conversations/:id/close`. */
  path: string
  access: Access
  /** Largest body accepted, in bytes; omitted for GET (none). */
  bodyLimit?: number
  /** The 413 answer when it is not the generic one. */
  tooLarge?: { code: string; message: string }
  /** Mounted only in demo mode (the WhatsApp simulator). */
  demoOnly?: boolean
  /** Why a role may still be refused, or anything else a reader of the table should know. */
  note?: string
}

const KiB = 1024
const MiB = 1024 * KiB
/** No route but attachments takes more than this. */
export const MAX_JSON_BODY = MiB
/** Bodiless actions: room for an empty JSON object, no more. */
const BODILESS = KiB
/** The multipart envelope and text fields around a 20 MB file (as in outbound/attachments.ts). */
const ATTACHMENT_BODY = MAX_ATTACHMENT_BYTES + 64 * KiB

export const API_ACCESS: readonly RouteAccess[] = [
  // session
  { method: 'POST', path: '/api/auth/login', access: 'public', bodyLimit: 4 * KiB },
  { method: 'POST', path: '/api/auth/logout', access: 'signed-in', bodyLimit: BODILESS },
  { method: 'GET', path: '/api/me', access: 'signed-in' },

  // agents
  { method: 'GET', path: '/api/agents', access: 'signed-in' },
  { method: 'POST', path: '/api/agents', access: 'admin', bodyLimit: 16 * KiB },
  { method: 'PATCH', path: '/api/agents/:id', access: 'admin', bodyLimit: 16 * KiB },
  { method: 'DELETE', path: '/api/agents/:id', access: 'admin', bodyLimit: BODILESS },

  // conversations and their lifecycle
  { method: 'POST', path: '/api/conversations', access: 'signed-in', bodyLimit: 16 * KiB },
  {
    method: 'DELETE',
    path: '/api/conversations/:id',
    access: 'signed-in',
    bodyLimit: BODILESS,
    note: 'agents: 403 unless they are the assignee',
  },
  {
    method: 'POST',
    path: '/api/conversations/:id/ticket',
    access: 'signed-in',
    bodyLimit: 4 * KiB,
    note: 'optional body: { subject?, priority? }',
  },
  { method: 'GET', path: '/api/conversations/:id/ticket', access: 'signed-in' },
  {
    method: 'POST',
    path: '/api/conversations/:id/close',
    access: 'signed-in',
    bodyLimit: BODILESS,
  },
  {
    method: 'POST',
    path: '/api/conversations/:id/assign',
    access: 'signed-in',
    bodyLimit: 16 * KiB,
  },
  {
    method: 'POST',
    path: '/api/conversations/:id/transfer',
    access: 'signed-in',
    bodyLimit: 16 * KiB,
  },
  { method: 'GET', path: '/api/conversations/:id/events', access: 'signed-in' },
  { method: 'POST', path: '/api/conversations/:id/seen', access: 'signed-in', bodyLimit: BODILESS },
  { method: 'GET', path: '/api/conversations/:id/window', access: 'signed-in' },
  {
    method: 'POST',
    path: '/api/conversations/:id/template',
    access: 'signed-in',
    bodyLimit: 64 * KiB,
  },
  {
    method: 'POST',
    path: '/api/conversations/:id/attachments',
    access: 'signed-in',
    bodyLimit: ATTACHMENT_BODY,
    tooLarge: { code: 'file_too_large', message: 'Attachments may be at most 20 MB' },
    note: 'the route also applies WhatsApp’s per-type limits (413/415)',
  },
  {
    method: 'POST',
    path: '/api/conversations/:id/messages/:messageId/retry',
    access: 'signed-in',
    bodyLimit: BODILESS,
  },

  // tickets
  { method: 'GET', path: '/api/tickets', access: 'signed-in' },
  { method: 'GET', path: '/api/tickets/:id', access: 'signed-in' },
  { method: 'PATCH', path: '/api/tickets/:id', access: 'signed-in', bodyLimit: 16 * KiB },

  // contacts (notes up to 5000 characters)
  { method: 'GET', path: '/api/contacts', access: 'signed-in' },
  { method: 'GET', path: '/api/contacts/:id', access: 'signed-in' },
  { method: 'POST', path: '/api/contacts', access: 'signed-in', bodyLimit: 64 * KiB },
  { method: 'PATCH', path: '/api/contacts/:id', access: 'signed-in', bodyLimit: 64 * KiB },

  // templates
  { method: 'GET', path: '/api/templates', access: 'signed-in' },
  { method: 'POST', path: '/api/templates', access: 'admin', bodyLimit: 64 * KiB },
  { method: 'PATCH', path: '/api/templates/:templateId', access: 'admin', bodyLimit: 64 * KiB },
  { method: 'DELETE', path: '/api/templates/:templateId', access: 'admin', bodyLimit: BODILESS },

  // canned responses
  { method: 'GET', path: '/api/canned-responses', access: 'signed-in' },
  { method: 'POST', path: '/api/canned-responses', access: 'signed-in', bodyLimit: 64 * KiB },
  {
    method: 'PATCH',
    path: '/api/canned-responses/:id',
    access: 'signed-in',
    bodyLimit: 64 * KiB,
    note: 'agents: 403 unless they wrote it',
  },
  {
    method: 'DELETE',
    path: '/api/canned-responses/:id',
    access: 'signed-in',
    bodyLimit: BODILESS,
    note: 'agents: 403 unless they wrote it',
  },

  // settings
  { method: 'GET', path: '/api/settings', access: 'admin' },
  { method: 'PUT', path: '/api/settings/whatsapp', access: 'admin', bodyLimit: 16 * KiB },
  { method: 'POST', path: '/api/settings/whatsapp/test', access: 'admin', bodyLimit: 16 * KiB },
  { method: 'GET', path: '/api/settings/read-receipts', access: 'signed-in' },
  { method: 'PUT', path: '/api/settings/read-receipts', access: 'admin', bodyLimit: 16 * KiB },
  { method: 'GET', path: '/api/audit', access: 'admin' },

  // reports
  { method: 'GET', path: '/api/reports/overview', access: 'signed-in' },
  { method: 'GET', path: '/api/reports/volume', access: 'signed-in' },
  { method: 'GET', path: '/api/reports/response-times', access: 'signed-in' },
  { method: 'GET', path: '/api/reports/shifts', access: 'signed-in' },
  { method: 'PUT', path: '/api/reports/shifts', access: 'admin', bodyLimit: 16 * KiB },

  // notifications
  { method: 'GET', path: '/api/notifications', access: 'signed-in' },
  { method: 'POST', path: '/api/notifications/read', access: 'signed-in', bodyLimit: 64 * KiB },
  { method: 'GET', path: '/api/notifications/stream', access: 'signed-in', note: 'SSE' },

  // media
  { method: 'GET', path: '/api/media/:mediaId', access: 'signed-in' },

  // the WhatsApp simulator's page (demo only)
  { method: 'GET', path: '/api/simulator/customers', access: 'signed-in', demoOnly: true },
  {
    method: 'POST',
    path: '/api/simulator/customers',
    access: 'signed-in',
    bodyLimit: 16 * KiB,
    demoOnly: true,
  },
  {
    method: 'POST',
    path: '/api/simulator/customers/:id/messages',
    access: 'signed-in',
    bodyLimit: MAX_JSON_BODY,
    demoOnly: true,
    note: 'pictures travel as base64 in the JSON',
  },
  {
    method: 'GET',
    path: '/api/simulator/customers/:id/thread',
    access: 'signed-in',
    demoOnly: true,
  },
  { method: 'GET', path: '/api/simulator/media/:id', access: 'signed-in', demoOnly: true },
]
