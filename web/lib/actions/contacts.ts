import { getContact, patchContact, type Contact, type ContactDetail } from '$lib/api/contacts'
import { getConversationEvents } from '$lib/api/tickets'
import type { ConversationEvent } from '@atende/shared'

/**
 * The right column's data and its one edit. A new name is written by the server into the live
 * conversation and its inbox card, so every agent sees it at once.
 */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export interface ContactForm {
  name: string
  email: string
  notes: string
}

/** What is wrong with the form (a dictionary key of `contact`), or null. */
export function contactFormProblem(form: ContactForm): 'nameRequired' | 'invalidEmail' | null {
  if (!form.name.trim()) return 'nameRequired'
  if (form.email.trim() && !EMAIL.test(form.email.trim())) return 'invalidEmail'
  return null
}

/** Saves name, email and notes; empty email or notes clear them. */
export function saveContact(id: string, form: ContactForm): Promise<Contact> {
  return patchContact(fetch, id, {
    name: form.name.trim(),
    email: form.email.trim() || null,
    notes: form.notes.trim() || null,
  })
}

/** The contact with its last conversations and tickets, and this conversation's events. */
export async function loadContactPanel(
  contactId: string,
  conversationId: string,
): Promise<{ detail: ContactDetail; events: ConversationEvent[] }> {
  const [detail, events] = await Promise.all([
    getContact(fetch, contactId),
    getConversationEvents(fetch, conversationId),
  ])
  return { detail, events }
}
