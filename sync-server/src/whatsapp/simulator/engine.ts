/**
 * What the fake customers do. A customer message becomes a signed webhook to our own server, as
 * Meta would send it; an agent's send that reaches the fake Graph is answered with status
 * webhooks (sent, delivered, then read once the customer "looks") and, from a persona, sometimes a
 * follow-up. Ambient chatter is bounded: a persona writes again only while fewer than two of its
 * messages wait for an answer, so an idle demo never piles up.
 */
import type { Logger } from '../../log.js'
import type { CustomerBook, ThreadEntry, Tick } from './customers.js'
import { demoPng } from './demo-image.js'
import type { FakeGraph, RecordedSend } from './fake-graph.js'
import {
  imageMessage,
  locationMessage,
  messagesWebhook,
  reactionMessage,
  statusEvent,
  statusesWebhook,
  textMessage,
  type Business,
  type InboundMessage,
  type MessageOptions,
} from './payloads.js'
import type { Persona } from './personas.js'
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
}

export const DEFAULT_PACE: Pace = {
  firstMessage: [3000, 8000],
  between: [20_000, 60_000],
  sent: [300, 800],
  delivered: [800, 2000],
  read: [1500, 5000],
  followUp: [4000, 12_000],
  followUpChance: 0.5,
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
}

interface PersonaState {
  persona: Persona
  /** Its messages since the last agent reply. */
  waiting: number
  opener: number
  followUp: number
  extraSent: boolean
}

export function createEngine(options: EngineOptions) {
  const { graph, book, business, queue, timers, log } = options
  const pace = { ...DEFAULT_PACE, ...options.pace }
  const random = options.random ?? Math.random
  const between = ([min, max]: Span) => min + Math.floor(random() * (max - min + 1))
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const states = new Map<string, PersonaState>(
    options.personas.map((persona) => [
      persona.phone,
      { persona, waiting: 0, opener: 0, followUp: 0, extraSent: false },
    ]),
  )
  let ambientOn = false
  const unsubscribe: Array<() => void> = []

  async function say(customerId: string, message: CustomerMessage) {
    const customer = book.get(customerId)
    if (!customer) throw new SimulatorError('unknown_customer', 'No such simulated customer')
    if (!queue.origin) throw new SimulatorError('not_started', 'The simulator has not started')
    const thread = book.thread(customerId)
    const quoted = (wamid: string | undefined): MessageOptions => {
      if (!wamid) return {}
      const entry = thread.find((candidate) => candidate.wamid === wamid)
      if (!entry) throw new SimulatorError('unknown_message', 'That message is not in this chat')
      const from = entry.from === 'customer' ? customer.phone : business.displayPhoneNumber
      return { replyTo: { from, id: wamid } }
    }

    let inbound: InboundMessage
    let entry: ThreadEntry | null = null
    const base = { from: 'customer' as const, at: Date.now(), delivery: 'pending' as const }
    if (message.type === 'reaction') {
      if (!thread.some((candidate) => candidate.wamid === message.target)) {
        throw new SimulatorError('unknown_message', 'That message is not in this chat')
      }
      inbound = reactionMessage(customer.phone, message.target, message.emoji || undefined)
      book.react(message.target, 'customer', message.emoji)
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
    state.waiting = 0
    state.extraSent = false
    if (random() < pace.followUpChance) {
      timers.later(readAt + between(pace.followUp), () => {
        if (state.waiting > 0) return
        const line = state.persona.followUps[state.followUp++ % state.persona.followUps.length]!
        state.waiting = 1
        void say(state.persona.phone, { type: 'text', text: line }).catch((err: unknown) =>
          log.warn('follow-up failed', { err }),
        )
      })
    }
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
    const ready = [...states.values()].filter((state) => state.waiting < 2)
    if (ready.length === 0) return
    const state = pick(ready)
    const { persona } = state
    let message: CustomerMessage
    if (state.waiting === 0) {
      message = { type: 'text', text: persona.openers[state.opener++ % persona.openers.length]! }
    } else if (!state.extraSent && (persona.photo || persona.place) && random() < 0.5) {
      state.extraSent = true
      message = persona.photo
        ? {
            type: 'image',
            bytes: demoPng(persona.photo.colour),
            mimeType: 'image/png',
            caption: persona.photo.caption,
          }
        : { type: 'location', ...persona.place! }
    } else {
      message = { type: 'text', text: pick(persona.nudges) }
    }
    state.waiting++
    void say(persona.phone, message).catch((err: unknown) =>
      log.warn('ambient message failed', { err }),
    )
  }

  return {
    say,
    viewed,
    /** Begins the personas' chatter (idempotent). */
    startAmbient() {
      if (ambientOn || !queue.origin) return
      ambientOn = true
      log.info('customers start writing')
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
