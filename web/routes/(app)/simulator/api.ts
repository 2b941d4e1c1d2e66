/**
 * The simulator page's calls to `/api/simulator` (demo mode only): the fake customers, their view
 * of the chat, and messages sent as them (the server turns each into a signed webhook).
 */
import { readJson, request, type Fetch } from '$lib/api/http'

export type Tick = 'sent' | 'delivered' | 'read' | 'failed'

export interface SimCustomer {
  id: string
  name: string
  phone: string
  /** A built-in persona that also writes on its own. */
  persona: boolean
  last: { from: 'customer' | 'agent'; type: string; text?: string; at: number } | null
}

export interface SimEntry {
  wamid: string
  from: 'customer' | 'agent'
  type: string
  at: number
  text?: string
  mediaId?: string
  mimeType?: string
  fileName?: string
  location?: { latitude: number; longitude: number; name?: string; address?: string }
  replyTo?: string
  reactions: { customer?: string; agent?: string }
  delivery?: 'pending' | 'delivered' | 'failed'
  readByAgent?: boolean
  status?: Tick
  edited?: boolean
  revoked?: boolean
}

export type SimMessage =
  | { type: 'text'; text: string; replyTo?: string }
  | { type: 'image'; image: string; text?: string; replyTo?: string }
  | { type: 'location'; latitude: number; longitude: number; name?: string; replyTo?: string }
  | { type: 'reaction'; target: string; emoji: string }
  /** No items: the server's demo cart. */
  | { type: 'order'; note?: string }
  | { type: 'edit'; target: string; text: string }
  | { type: 'revoke'; target: string }

/** A refused call: the HTTP status and the API's error code. */
export class SimulatorApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`simulator API answered ${status} ${code}`)
  }
}

async function call<T>(
  fetchFn: Fetch,
  path: string,
  init: { method?: string; json?: unknown } = {},
) {
  const response = await request(fetchFn, `/api/simulator${path}`, init)
  const body = await readJson<T & { error?: { code: string } }>(response)
  if (!response.ok || body === null) {
    throw new SimulatorApiError(response.status, body?.error?.code ?? 'unexpected')
  }
  return body
}

export async function listCustomers(fetchFn: Fetch): Promise<SimCustomer[]> {
  return (await call<{ customers: SimCustomer[] }>(fetchFn, '/customers')).customers
}

export async function createCustomer(fetchFn: Fetch, name: string, phone: string) {
  const body = await call<{ customer: SimCustomer }>(fetchFn, '/customers', {
    method: 'POST',
    json: { name, phone },
  })
  return body.customer
}

export async function getThread(fetchFn: Fetch, customerId: string): Promise<SimEntry[]> {
  const path = `/customers/${encodeURIComponent(customerId)}/thread`
  return (await call<{ entries: SimEntry[] }>(fetchFn, path)).entries
}

export function sendAsCustomer(fetchFn: Fetch, customerId: string, message: SimMessage) {
  return call<{ wamid: string; webhookStatus: number | null }>(
    fetchFn,
    `/customers/${encodeURIComponent(customerId)}/messages`,
    { method: 'POST', json: message },
  )
}

/** Where a picture in a thread is served from. */
export const mediaUrl = (mediaId: string) => `/api/simulator/media/${encodeURIComponent(mediaId)}`
