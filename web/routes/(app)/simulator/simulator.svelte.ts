/**
 * The simulator page's state: the customers, the chosen one's chat, kept fresh by polling every
 * second while the page is visible (the chat is small and in memory on the server).
 */
import {
  createCustomer,
  getThread,
  listCustomers,
  sendAsCustomer,
  type SimCustomer,
  type SimEntry,
  type SimMessage,
} from './api'

const POLL_MS = 1000
/** The customer list changes rarely: refresh it every this many polls. */
const CUSTOMERS_EVERY = 5

export class SimulatorState {
  customers = $state.raw<SimCustomer[]>([])
  selectedId = $state<string | null>(null)
  entries = $state.raw<SimEntry[]>([])
  loaded = $state(false)
  selected = $derived(this.customers.find((customer) => customer.id === this.selectedId) ?? null)

  #fetch: typeof fetch
  #timer: ReturnType<typeof setTimeout> | null = null
  #ticks = 0
  #stopped = true

  constructor(fetchFn: typeof fetch) {
    this.#fetch = fetchFn
  }

  start(): void {
    if (!this.#stopped) return
    this.#stopped = false
    void this.#poll()
  }

  stop(): void {
    this.#stopped = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
  }

  async #poll(): Promise<void> {
    if (this.#stopped) return
    if (document.visibilityState === 'visible') {
      try {
        await this.refresh(this.#ticks++ % CUSTOMERS_EVERY === 0)
      } catch {
        // Polling again in a second is the retry; the page keeps what it showed.
      }
    }
    if (!this.#stopped) this.#timer = setTimeout(() => void this.#poll(), POLL_MS)
  }

  async refresh(withCustomers = true): Promise<void> {
    if (withCustomers || !this.loaded) {
      this.customers = await listCustomers(this.#fetch)
      this.loaded = true
      if (this.selectedId === null && this.customers[0]) this.selectedId = this.customers[0].id
    }
    const id = this.selectedId
    if (id === null) return
    const entries = await getThread(this.#fetch, id)
    if (this.selectedId === id) this.entries = entries
  }

  select(id: string): void {
    if (id === this.selectedId) return
    this.selectedId = id
    this.entries = []
    void this.refresh(false).catch(() => {})
  }

  async create(name: string, phone: string): Promise<SimCustomer> {
    const customer = await createCustomer(this.#fetch, name, phone)
    this.customers = [...this.customers, customer]
    this.select(customer.id)
    return customer
  }

  /** Sends as the selected customer; resolves with the webhook's first answer (null: none). */
  async send(message: SimMessage): Promise<number | null> {
    const id = this.selectedId
    if (id === null) return null
    const sent = await sendAsCustomer(this.#fetch, id, message)
    await this.refresh(false).catch(() => {})
    return sent.webhookStatus
  }
}
