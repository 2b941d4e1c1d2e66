import type { ConversationStatus, TicketSummary } from '@atende/shared'
import { apiError, callApi, readJson, request, type Fetch } from './http'

/** A customer as the contacts API returns it. */
export interface Contact {
  id: string
  name: string
  phone: string
  email: string | null
  notes: string | null
  createdAt: number
  updatedAt: number
}

/** One of the contact's conversations, with its ticket when it has one. */
export interface ContactConversation {
  id: string
  status: ConversationStatus
  createdAt: number
  ticketId: string | null
  ticketNumber: string | null
}

export interface ContactDetail {
  contact: Contact
  conversations: ContactConversation[]
  tickets: TicketSummary[]
}

export interface ContactChanges {
  name?: string
  email?: string | null
  notes?: string | null
}

/** GET /api/contacts/:id: the contact, its last conversations and tickets. */
export async function getContact(fetchFn: Fetch, id: string): Promise<ContactDetail> {
  return callApi(fetchFn, `/api/contacts/${encodeURIComponent(id)}`)
}

/** GET /api/contacts?q=: contacts whose name, phone or email contains `q`. */
export async function searchContacts(fetchFn: Fetch, q: string): Promise<Contact[]> {
  const response = await request(fetchFn, `/api/contacts?q=${encodeURIComponent(q)}`)
  if (!response.ok) throw await apiError(response)
  return (await readJson<{ contacts: Contact[] }>(response))?.contacts ?? []
}

/** PATCH /api/contacts/:id: name, email, notes (null or '' clears email and notes). */
export async function patchContact(
  fetchFn: Fetch,
  id: string,
  changes: ContactChanges,
): Promise<Contact> {
  const body = await callApi<{ contact: Contact }>(
    fetchFn,
    `/api/contacts/${encodeURIComponent(id)}`,
    { method: 'PATCH', json: changes },
  )
  return body.contact
}
