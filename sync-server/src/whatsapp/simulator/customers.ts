/**
 * The fake customers and each one's view of the chat: what they sent (and whether our server took
 * the webhook and marked it read) and what agents sent them, with the ticks the simulator reported.
 * In memory only: after a restart the chats start empty (what the personas already sent is kept
 * apart, in the progress store, so they do not send it again).
 */
import type { Persona } from './personas.js'

export type Tick = 'sent' | 'delivered' | 'read' | 'failed'
const TICK_RANK: Record<Tick, number> = { sent: 1, delivered: 2, read: 3, failed: 4 }

export interface Customer {
  /** The wa_id, which also names the customer in the page API. */
  id: string
  name: string
  phone: string
  persona: boolean
}

export interface ThreadEntry {
  wamid: string
  from: 'customer' | 'agent'
  /** The WhatsApp message type (`text`, `image`, `location`, `template`, …). */
  type: string
  at: number
  /** Text body, caption, template name or location name. */
  text?: string
  mediaId?: string
  mimeType?: string
  fileName?: string
  location?: { latitude: number; longitude: number; name?: string; address?: string }
  /** The wamid quoted (`context`). */
  replyTo?: string
  /** Emoji reactions on this message, by side. */
  reactions: { customer?: string; agent?: string }
  /** Customer messages: did our server accept the webhook; has an agent's read receipt come back. */
  delivery?: 'pending' | 'delivered' | 'failed'
  readByAgent?: boolean
  /** Agent messages: the last status the simulator reported. */
  status?: Tick
  /** Customer messages: changed since sent (`text` is the new text), or deleted for everyone. */
  edited?: boolean
  revoked?: boolean
}

export interface CustomerBook {
  list(): Customer[]
  get(id: string): Customer | undefined
  /** Adds a customer; null when the number is already taken. */
  add(name: string, phone: string, persona?: boolean): Customer | null
  thread(id: string): ThreadEntry[]
  /** The entry with this wamid, in any thread, with its customer. */
  find(wamid: string): { customer: Customer; entry: ThreadEntry } | undefined
  append(customerId: string, entry: Omit<ThreadEntry, 'reactions'>): ThreadEntry
  /** Moves an agent message's ticks forward only (a late `delivered` never undoes `read`). */
  advance(wamid: string, tick: Tick): boolean
  /** An agent read receipt for `wamid`: it and every earlier customer message are read. */
  markRead(wamid: string): boolean
  react(wamid: string, side: 'customer' | 'agent', emoji: string): boolean
}

/** Digits only, 8 to 15 of them (E.164 without the `+`), or null. */
export function normalisePhone(phone: string): string | null {
  const digits = phone.replace(/[\s()+.-]/g, '')
  return /^\d{8,15}$/.test(digits) ? digits : null
}

export function createCustomerBook(personas: readonly Persona[] = []): CustomerBook {
  const customers = new Map<string, Customer>()
  const threads = new Map<string, ThreadEntry[]>()
  const byWamid = new Map<string, { customer: Customer; entry: ThreadEntry }>()

  const book: CustomerBook = {
    list: () => [...customers.values()],
    get: (id) => customers.get(id),
    add(name, phone, persona = false) {
      const id = normalisePhone(phone)
      if (!id || customers.has(id)) return null
      const customer: Customer = { id, name: name.trim() || `+${id}`, phone: id, persona }
      customers.set(id, customer)
      threads.set(id, [])
      return customer
    },
    thread: (id) => threads.get(id) ?? [],
    find: (wamid) => byWamid.get(wamid),
    append(customerId, fields) {
      const customer = customers.get(customerId)
      if (!customer) throw new Error(`no simulated customer ${customerId}`)
      const entry: ThreadEntry = { ...fields, reactions: {} }
      threads.get(customerId)!.push(entry)
      byWamid.set(entry.wamid, { customer, entry })
      return entry
    },
    advance(wamid, tick) {
      const found = byWamid.get(wamid)
      if (!found || found.entry.from !== 'agent') return false
      const current = found.entry.status
      if (current && (current === 'failed' || TICK_RANK[current] >= TICK_RANK[tick])) return false
      found.entry.status = tick
      return true
    },
    markRead(wamid) {
      const found = byWamid.get(wamid)
      if (!found) return false
      for (const entry of threads.get(found.customer.id)!) {
        if (entry.from === 'customer' && entry.at <= found.entry.at) entry.readByAgent = true
      }
      return true
    },
    react(wamid, side, emoji) {
      const found = byWamid.get(wamid)
      if (!found) return false
      if (emoji) found.entry.reactions[side] = emoji
      else delete found.entry.reactions[side]
      return true
    },
  }
  for (const persona of personas) book.add(persona.name, persona.phone, true)
  return book
}
