/**
 * What the fake customers do. A customer message becomes a signed webhook to our own server, as
 * Meta would send it; an agent's send that reaches the fake Graph is answered with status
 * webhooks (sent, delivered, then read once the customer "looks") and, from a persona, sometimes a
 * follow-up. Ambient chatter is bounded: a persona writes again only while fewer than two of its
 * messages wait for an answer, so an idle demo never piles up.
 *
 * A persona's story is a set of steps (`opener:0`, `nudge:1`, `followUp:2`, `photo`, `order`,
 * `flow`, `edit`, `oops`, `revoke`), each sent at most once per data directory: the progress store
 * remembers what went and the wamid it went as, so a restart resumes where the demo left off.
 */
import type { Logger } from '../../log.js'
import type { CustomerBook, ThreadEntry, Tick } from './customers.js'
import { demoPng } from './demo-image.js'
import type { FakeGraph, RecordedSend } from './fake-graph.js'
import {
  editMessage,
  flowReplyMessage,
  imageMessage,
  locationMessage,
  messagesWebhook,
  orderMessage,
  reactionMessage,
  revokeMessage,
  stableWamid,
  statusEvent,
  statusesWebhook,
  textMessage,
  type Business,
  type InboundMessage,
  type MessageOptions,
} from './payloads.js'
import type { Persona } from './personas.js'
import { createProgressStore, type PersonaProgress, type ProgressStore } from './progress.js'
import { describeSend } from './thread-view.js'
import type { Timers, WebhookQueue } from './webhook-queue.js'

export type CustomerMessage =
  | { type: 'text'; text: string; replyTo?: string }
  | { type: 'image'; bytes: Uint8Array; mimeType: string; caption?: string; replyTo?: string }
  | {
      type: 'location'
      latitude: number
      longitude: number
      name?: string
      address?: string
      replyTo?: string
    }
  /** `emoji: ''` removes the customer's reaction. */
  | { type: 'reaction'; target: string; emoji: string }
  | { type: 'order'; catalogId: string; items: OrderLine[]; note?: string }
  /** A WhatsApp Flow's answer: `response` becomes `response_json` (with a `flow_token`). */
  | { type: 'flow'; body: string; response: Record<string, string> }
  /** The customer edits their own message `target` (its text, or an image's caption). */
  | { type: 'edit'; target: string; text: string }
  /** The customer deletes their own message `target` for everyone. */
  | { type: 'revoke'; target: string }

export type OrderLine = NonNullable<Persona['order']>['items'][number]

export class SimulatorError extends Error {
  constructor(
    readonly code: 'unknown_customer' | 'unknown_message' | 'not_started',
    message: string,
  ) {
    super(message)
  }
}

/** Waits, in ms, as [min, max]. */
type Span = [number, number]

export interface Pace {
  firstMessage: Span
  between: Span
  sent: Span
  delivered: Span
  read: Span
  followUp: Span
  followUpChance: number
  /** From a message sent to the wrong chat to its deletion. */
  oops: Span
}

export const DEFAULT_PACE: Pace = {
  firstMessage: [3000, 8000],
  between: [20_000, 60_000],
  sent: [300, 800],
  delivered: [800, 2000],
  read: [1500, 5000],
  followUp: [4000, 12_000],
  followUpChance: 0.5,
  oops: [3000, 8000],
}

/** `SIMULATOR_PACE=fast`: the same story in well under a second a step (tests, quick looks). */
export const FAST_PACE: Pace = {
  firstMessage: [20, 60],
  between: [40, 120],
  sent: [10, 30],
  delivered: [10, 30],
  read: [20, 60],
  followUp: [40, 120],
  followUpChance: 0.5,
  oops: [20, 60],
}

export interface EngineOptions {
  graph: FakeGraph
  book: CustomerBook
  business: Business
  queue: WebhookQueue
  timers: Timers
  log: Logger
  personas: readonly Persona[]
  pace?: Partial<Pace>
  random?: () => number
  /** What the personas already sent (default: in memory, a fresh demo). */
  progress?: ProgressStore
}

interface PersonaState {
  persona: Persona
  progress: PersonaProgress
}

/** One scripted message of a persona: its step name and what it says. */
interface Step {
  key: string
  message: CustomerMessage
}

export function createEngine(options: EngineOptions) {
  const { graph, book, business, queue, timers, log } = options
  const pace = { ...DEFAULT_PACE, ...options.pace }
  const random = options.random ?? Math.random
  const store = options.progress ?? createProgressStore(null, log)
  const between = ([min, max]: Span) => min + Math.floor(random() * (max - min + 1))
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const states = new Map<string, PersonaState>(
    options.personas.map((persona) => [
      persona.phone,
      { persona, progress: store.of(persona.phone) },
    ]),
  )
  let ambientOn = false
  let quiet = false
  const unsubscribe: Array<() => void> = []

  /**
   * Sends `message` as the customer. `scripted` carries a persona step's stable wamid; such a step
   * may edit or delete a message this process never saw (sent before a restart).
   */
  async function say(customerId: string, message: CustomerMessage, scripted?: { id: string }) {
    const customer = book.get(customerId)
    if (!customer) throw new SimulatorError('unknown_customer', 'No such simulated customer')
    if (!queue.origin) throw new SimulatorError('not_started', 'The simulator has not started')
    const thread = book.thread(customerId)
    const id: MessageOptions = scripted ? { id: scripted.id } : {}
    const quoted = (wamid: string | undefined): MessageOptions => {
      if (!wamid) return id
      const entry = thread.find((candidate) => candidate.wamid === wamid)
      if (!entry) throw new SimulatorError('unknown_message', 'That message is not in this chat')
      const from = entry.from === 'customer' ? customer.phone : business.displayPhoneNumber
      return { ...id, replyTo: { from, id: wamid } }
    }
    /** The customer's own message `wamid` (undefined: not in this process's chat, scripted only). */
    const own = (wamid: string): ThreadEntry | undefined => {
      const entry = thread.find((candidate) => candidate.wamid === wamid)
      if (entry ? entry.from !== 'customer' || entry.revoked : !scripted) {
        throw new SimulatorError('unknown_message', 'That is not a message of this customer')
      }
      return entry
    }

    let inbound: InboundMessage
    let entry: ThreadEntry | null = null
    const base = { from: 'customer' as const, at: Date.now(), delivery: 'pending' as const }
    if (message.type === 'reaction') {
      if (!thread.some((candidate) => candidate.wamid === message.target)) {
        throw new SimulatorError('unknown_message', 'That message is not in this chat')
      }
      inbound = reactionMessage(customer.phone, message.target, message.emoji || undefined, id)
      book.react(message.target, 'customer', message.emoji)
    } else if (message.type === 'edit') {
      const original = own(message.target)
      if (original && original.type !== 'text' && original.type !== 'image') {
        throw new SimulatorError('unknown_message', 'Only a text or a caption can be edited')
      }
      const edited =
        original?.type === 'image' && original.mediaId
          ? {
              type: 'image' as const,
              image: {
                id: original.mediaId,
                mime_type: original.mimeType ?? 'image/png',
                sha256: graph.media(original.mediaId)?.sha256 ?? '',
                caption: message.text,
              },
            }
          : { type: 'text' as const, text: { body: message.text } }
      inbound = editMessage(customer.phone, message.target, edited, id)
      if (original) {
        original.text = message.text
        original.edited = true
      }
    } else if (message.type === 'revoke') {
      const original = own(message.target)
      inbound = revokeMessage(customer.phone, message.target, id)
      if (original) original.revoked = true
    } else if (message.type === 'order') {
      const order = {
        catalog_id: message.catalogId,
        product_items: message.items.map((item) => ({
          product_retailer_id: item.id,
          quantity: item.quantity,
          item_price: item.price,
          currency: item.currency,
        })),
        ...(message.note ? { text: message.note } : {}),
      }
      inbound = orderMessage(customer.phone, order, id)
      entry = book.append(customerId, {
        ...base,
        wamid: inbound.id,
        type: 'order',
        ...(message.note ? { text: message.note } : {}),
      })
    } else if (message.type === 'flow') {
      // Meta adds the token the flow was sent with; ours are sent by no one, so it is `unused`.
      const response = { flow_token: 'unused', ...message.response }
      inbound = flowReplyMessage(customer.phone, { body: message.body, response }, id)
      entry = book.append(customerId, {
        ...base,
        wamid: inbound.id,
        type: 'interactive',
        text: message.body,
      })
    } else if (message.type === 'text') {
      inbound = textMessage(customer.phone, message.text, quoted(message.replyTo))
      entry = book.append(customerId, {
        ...base,
        wamid: inbound.id,
        type: 'text',
        text: message.text,
      })
    } else if (message.type === 'image') {
      const mediaId = graph.addMedia(message.bytes, message.mimeType)
      const media = {
        id: mediaId,
        mime_type: message.mimeType,
        sha256: graph.media(mediaId)!.sha256,
      }
      const caption = message.caption ? { caption: message.caption } : {}
      inbound = imageMessage(customer.phone, { ...media, ...caption }, quoted(message.replyTo))
      entry = book.append(customerId, {
        ...base,
        wamid: inbound.id,
        type: 'image',
        mediaId,
        mimeType: message.mimeType,
        ...(message.caption ? { text: message.caption } : {}),
      })
    } else {
      const { latitude, longitude, name, address } = message
      const place = {
        latitude,
        longitude,
        ...(name ? { name } : {}),
        ...(address ? { address } : {}),
      }
      inbound = locationMessage(customer.phone, place, quoted(message.replyTo))
      entry = book.append(customerId, {
        ...base,
        wamid: inbound.id,
        type: 'location',
        location: place,
        ...(name ? { text: name } : {}),
      })
    }
    if (entry && inbound.context) entry.replyTo = inbound.context.id

    const payload = messagesWebhook(
      business,
      { waId: customer.phone, name: customer.name },
      inbound,
    )
    const status = await queue.deliver('message', payload, (ok) => {
      if (entry) entry.delivery = ok ? 'delivered' : 'failed'
    })
    return { wamid: inbound.id, webhookStatus: status }
  }

  function report(send: { wamid: string; waId: string }, tick: Tick) {
    if (!book.advance(send.wamid, tick) && book.find(send.wamid)) return
    const payload = statusesWebhook(business, statusEvent(send.wamid, tick, send.waId))
    void queue.deliver(`status:${tick}`, payload).catch(() => {})
  }

  function onAgentSend(send: RecordedSend) {
    if (!queue.origin) return
    let customer = book.get(send.waId)
    if (!customer) customer = book.add(`+${send.waId}`, send.waId)!
    const described = describeSend(send, graph)
    if (described.reaction) {
      book.react(described.reaction.target, 'agent', described.reaction.emoji)
    } else {
      book.append(customer.id, described.entry)
    }
    const sentAt = between(pace.sent)
    const deliveredAt = sentAt + between(pace.delivered)
    timers.later(sentAt, () => report(send, 'sent'))
    timers.later(deliveredAt, () => report(send, 'delivered'))
    const state = states.get(customer.id)
    if (!state || described.reaction) return
    // A persona reads at once and may answer; other customers read when the page shows them.
    const readAt = deliveredAt + between(pace.read)
    timers.later(readAt, () => report(send, 'read'))
    state.progress.waiting = 0
    store.save()
    if (random() < pace.followUpChance) {
      timers.later(readAt + between(pace.followUp), () => {
        if (state.progress.waiting > 0) return
        const i = nextLine(state, 'followUp', state.persona.followUps)
        if (i < 0) return
        take(state, {
          key: `followUp:${i}`,
          message: { type: 'text', text: state.persona.followUps[i]! },
        })
      })
    }
  }

  const sent = (state: PersonaState, key: string) => Object.hasOwn(state.progress.sent, key)
  /** The first of `lines` not sent yet as `${kind}:i`, or -1. */
  const nextLine = (state: PersonaState, kind: string, lines: readonly string[]) =>
    lines.findIndex((_, i) => !sent(state, `${kind}:${i}`))

  /** Sends a step under its stable wamid, after noting it (a restart never sends it again). */
  function take(state: PersonaState, step: Step, waits = true) {
    const { phone } = state.persona
    const id = stableWamid(phone, step.key, store.progress.seed)
    state.progress.sent[step.key] = id
    if (waits) state.progress.waiting++
    store.save()
    void say(phone, step.message, { id }).catch((err: unknown) =>
      log.warn('persona message failed', { step: step.key, err }),
    )
    if (step.key === 'oops') later(pace.oops, () => revokeOops(state))
  }

  function later(span: Span, fn: () => void) {
    timers.later(between(span), fn)
  }

  /** The message sent to the wrong chat is deleted (not a new message: nobody waits longer). */
  function revokeOops(state: PersonaState) {
    const target = state.progress.sent.oops
    if (!target || sent(state, 'revoke')) return
    take(state, { key: 'revoke', message: { type: 'revoke', target } }, false)
  }

  /** What a persona waiting for an answer may add to its story, besides a nudge. */
  function extras(state: PersonaState): Step[] {
    const { persona, progress } = state
    const steps: Step[] = []
    const unsent = (key: string) => !sent(state, key)
    const latestOpener = persona.openers.findLastIndex((_, i) => sent(state, `opener:${i}`))
    if (persona.edit && unsent('edit') && latestOpener === persona.edit.opener) {
      const target = progress.sent[`opener:${persona.edit.opener}`]!
      steps.push({ key: 'edit', message: { type: 'edit', target, text: persona.edit.text } })
    }
    if (persona.photo && unsent('photo')) {
      const { colour, caption } = persona.photo
      steps.push({
        key: 'photo',
        message: { type: 'image', bytes: demoPng(colour), mimeType: 'image/png', caption },
      })
    }
    if (persona.place && unsent('place')) {
      steps.push({ key: 'place', message: { type: 'location', ...persona.place } })
    }
    if (persona.order && unsent('order')) {
      steps.push({ key: 'order', message: { type: 'order', ...persona.order } })
    }
    if (persona.flow && unsent('flow')) {
      steps.push({ key: 'flow', message: { type: 'flow', ...persona.flow } })
    }
    if (persona.oops && unsent('oops')) {
      steps.push({ key: 'oops', message: { type: 'text', text: persona.oops } })
    }
    return steps
  }

  /** Whether the persona has something left to say now. */
  function ready(state: PersonaState): boolean {
    const { persona, progress } = state
    if (progress.waiting >= 2) return false
    if (progress.waiting === 0) return nextLine(state, 'opener', persona.openers) >= 0
    return extras(state).length > 0 || nextLine(state, 'nudge', persona.nudges) >= 0
  }

  function nextStep(state: PersonaState): Step | null {
    const { persona, progress } = state
    if (progress.waiting === 0) {
      const i = nextLine(state, 'opener', persona.openers)
      return i < 0
        ? null
        : { key: `opener:${i}`, message: { type: 'text', text: persona.openers[i]! } }
    }
    const more = extras(state)
    // A typo is corrected at once, while the story is fresh.
    const edit = more.find((step) => step.key === 'edit')
    if (edit) return edit
    const n = nextLine(state, 'nudge', persona.nudges)
    if (more.length > 0 && (n < 0 || random() < 0.5)) return pick(more)
    return n < 0 ? null : { key: `nudge:${n}`, message: { type: 'text', text: persona.nudges[n]! } }
  }

  /** The page showed this customer's chat: agent messages delivered to them are now read. */
  function viewed(customerId: string) {
    for (const entry of book.thread(customerId)) {
      if (entry.from === 'agent' && entry.status === 'delivered') {
        report({ wamid: entry.wamid, waId: customerId }, 'read')
      }
    }
  }

  function ambientTick() {
    if (!ambientOn) return
    timers.later(between(pace.between), ambientTick)
    const candidates = [...states.values()].filter(ready)
    if (candidates.length === 0) {
      if (!quiet) log.info('customers wait for replies, or have said everything')
      quiet = true
      return
    }
    quiet = false
    const state = pick(candidates)
    const step = nextStep(state)
    if (step) take(state, step)
  }

  return {
    say,
    viewed,
    /** Begins the personas' chatter (idempotent). */
    startAmbient() {
      if (ambientOn || !queue.origin) return
      ambientOn = true
      const resumed = [...states.values()].filter(
        (state) => Object.keys(state.progress.sent).length,
      )
      log.info('customers start writing', { resumed: resumed.length })
      // A deletion that a restart interrupted still happens.
      for (const state of resumed) later(pace.oops, () => revokeOops(state))
      timers.later(between(pace.firstMessage), ambientTick)
    },
    get ambient() {
      return ambientOn
    },
    start(origin: string) {
      queue.origin = origin
      unsubscribe.push(graph.onSend(onAgentSend))
      unsubscribe.push(graph.onRead((read) => void book.markRead(read.messageId)))
    },
    stop() {
      ambientOn = false
      for (const off of unsubscribe.splice(0)) off()
      queue.stop()
      timers.clear()
    },
  }
}

export type Engine = ReturnType<typeof createEngine>
