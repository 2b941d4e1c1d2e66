/**
 * Contacts from the agent's side: look one up with its history, enter one by number, edit name,
 * email and notes. A new name shows at once where the contact is live: the conversation's
 * `meta.contactName` and its inbox card.
 */
import { ORIGIN, writeMeta, type TicketSummary } from '@atende/shared'
import type { Contact, ContactChanges, NewContact } from '../store/contacts.js'
import type { ContactConversation } from '../store/tickets.js'
import { docIfLive, LifecycleError, type LifecycleDeps } from './events.js'
import { updateInboxEntry } from './inbox.js'

const HISTORY = 10

export interface ContactDetail {
  contact: Contact
  conversations: ContactConversation[]
  tickets: TicketSummary[]
}

export function contactDetail(deps: LifecycleDeps, contactId: string): ContactDetail {
  const contact = deps.contacts.get(contactId)
  if (!contact) throw new LifecycleError('contact_not_found', 'There is no such contact')
  return {
    contact,
    conversations: deps.tickets.conversationsOf(contact.id, HISTORY),
    tickets: deps.tickets.forContact(contact.id, HISTORY),
  }
}

/** Enters a contact by number; a number already known answers `contact_exists`. */
export function createContact(deps: LifecycleDeps, input: NewContact): Contact {
  if (deps.contacts.byWaId(input.waId)) {
    throw new LifecycleError('contact_exists', 'A contact with this number exists already')
  }
  return deps.contacts.create(input)
}

export function updateContact(
  deps: LifecycleDeps,
  contactId: string,
  changes: ContactChanges,
): Contact {
  const before = deps.contacts.get(contactId)
  const contact = before && deps.contacts.update(contactId, changes)
  if (!before || !contact) throw new LifecycleError('contact_not_found', 'There is no such contact')
  if (contact.name !== before.name) {
    const live = deps.conversations.openFor(contact.id)
    const shared = live ? docIfLive(deps, live.id) : null
    if (live && shared) {
      shared.transact(
        (doc) => writeMeta(doc, { contactName: contact.name }, ORIGIN.server),
        ORIGIN.server,
      )
      updateInboxEntry(deps.docs, live.id, (card) =>
        card.contactName === contact.name ? card : { ...card, contactName: contact.name },
      )
    }
  }
  return contact
}
