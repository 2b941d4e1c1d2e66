/**
 * The outbound module in-process for unit and property tests: an in-memory SQLite database, a real
 * DocManager, a fake WhatsApp channel whose answers the test controls, and a clock the test moves.
 * `crash()` drops the module and its documents without any shutdown (as kill -9 would) and boots a
 * new one on the same database.
 */
import {
  appendMessage,
  conversationDocName,
  conversationParts,
  newId,
  ORIGIN,
  writeMeta,
  type AgentId,
  type AgentMessage,
  type ContactId,
  type CustomerMessage,
  type MessageId,
} from '@atende/shared'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openConversation } from '../../src/lifecycle/conversations.js'
import { createLogger } from '../../src/log.js'
import { createContactStore } from '../../src/store/contacts.js'
import { createConversationStore } from '../../src/store/conversations.js'
import { openDatabase, type Db } from '../../src/store/db.js'
import { createDocumentStore } from '../../src/store/documents.js'
import { createOutbox } from '../../src/store/outbox.js'
import { DocManager } from '../../src/sync/docs.js'
import type { ChannelHolder } from '../../src/whatsapp/channel.js'
import type { OutboundPayload, WhatsAppChannel } from '../../src/whatsapp/graph.js'
import { createOutbound, type Outbound } from '../../src/whatsapp/outbound/index.js'

export const quiet = createLogger('test', { write: () => {} })
export const AGENT = 'a0000000-0000-4000-8000-000000000001' as AgentId

export interface SendCall {
  to: string
  payload: OutboundPayload
  replyTo: string | undefined
  /** Settles this call (manual mode). */
  answer(outcome: { wamid: string } | Error): void
  settled: boolean
}

/** A channel holder with fixed (fake) credentials whose client is `client`. */
export function channelHolderFor(client: WhatsAppChannel): ChannelHolder {
  return {
    config: {
      apiBase: 'http://meta.invalid/v25.0',
      accessToken: 'token',
      phoneNumberId: '1',
      appSecret: 's',
      verifyToken: 'v',
    },
    client,
    demo: false,
    set() {},
  }
}

/** A WhatsAppChannel that records calls; `auto` answers sends at once (or with queued errors). */
export function fakeChannel() {
  const sends: SendCall[] = []
  const uploads: { mimeType: string; fileName: string; size: number }[] = []
  const reads: string[] = []
  const failures: Error[] = []
  const uploadFailures: Error[] = []
  let auto = true
  let counter = 0
  const client: WhatsAppChannel = {
    send(to, payload, replyTo) {
      return new Promise((resolve, reject) => {
        const call: SendCall = {
          to,
          payload,
          replyTo,
          settled: false,
          answer(outcome) {
            if (call.settled) return
            call.settled = true
            if (outcome instanceof Error) reject(outcome)
            else resolve(outcome)
          },
        }
        sends.push(call)
        if (!auto) return
        const failure = failures.shift()
        call.answer(failure ?? { wamid: `wamid.test${++counter}` })
      })
    },
    async markRead(wamid) {
      reads.push(wamid)
    },
    async uploadMedia(file, mimeType, fileName) {
      const failure = uploadFailures.shift()
      if (failure) throw failure
      uploads.push({ mimeType, fileName, size: file.size })
      return { id: `media-${uploads.length}` }
    },
    async downloadMedia() {
      throw new Error('not in these tests')
    },
    async check() {
      return {}
    },
  }
  return {
    client,
    sends,
    uploads,
    reads,
    failNext: (error: Error) => failures.push(error),
    failUpload: (error: Error) => uploadFailures.push(error),
    setAuto: (value: boolean) => (auto = value),
  }
}

export type FakeChannel = ReturnType<typeof fakeChannel>

export function createHarness(
  options: { backoffMs?: number; maxAttempts?: number; perCustomerPerMinute?: number } = {},
) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atende-outbound-'))
  const db: Db = openDatabase(':memory:')
  const channel = fakeChannel()
  const holder = channelHolderFor(channel.client)
  const recorded: { wamid: string; conversationId: string; messageId: string }[] = []
  const clock = { now: Date.now() }
  const outbox = createOutbox(db)
  const contacts = createContactStore(db)
  const conversations = createConversationStore(db)

  const boot = () => {
    const docs = new DocManager({ store: createDocumentStore(db), log: quiet, idleMs: 3600_000 })
    const outbound = createOutbound({
      db,
      docs,
      channel: holder,
      log: quiet,
      dataDir,
      delivery: {
        recordSent: (wamid, conversationId, messageId) =>
          void recorded.push({ wamid, conversationId, messageId }),
      },
      sender: {
        timers: false,
        now: () => clock.now,
        backoff: {
          baseMs: options.backoffMs ?? 1000,
          maxMs: 60_000,
          maxAttempts: options.maxAttempts ?? 4,
        },
        perCustomerPerMinute: options.perCustomerPerMinute,
      },
    })
    outbound.start()
    return { docs, outbound }
  }
  let current = boot()

  const harness = {
    db,
    dataDir,
    channel,
    holder,
    recorded,
    clock,
    outbox,
    get docs() {
      return current.docs
    },
    get outbound(): Outbound {
      return current.outbound
    },
    doc(conversationId: string) {
      return current.docs.get(conversationDocName(conversationId))
    },
    /** A conversation with a customer (window open unless `open: false`). */
    conversation(opts: { open?: boolean; waId?: string } = {}) {
      const waId =
        opts.waId ??
        `55119${Math.floor(Math.random() * 1e8)
          .toString()
          .padStart(8, '0')}`
      const contact = contacts.findOrCreateByWaId(waId, 'Maria')
      const { conversation } = openConversation({ docs: current.docs, conversations }, contact)
      if (opts.open !== false) harness.customerSays(conversation.id, 'hello')
      return conversation.id as string
    },
    customerSays(conversationId: string, text: string, waMessageId = `wamid.in.${newId()}`) {
      const message: CustomerMessage = {
        id: newId<MessageId>(),
        kind: 'customer',
        authorId: 'c' as ContactId,
        waMessageId,
        type: 'text',
        text,
        createdAt: clock.now,
      }
      harness.doc(conversationId).transact((doc) => {
        appendMessage(doc, message, ORIGIN.whatsapp)
        writeMeta(doc, { lastCustomerMessageAt: clock.now }, ORIGIN.whatsapp)
      }, ORIGIN.whatsapp)
      return message
    },
    /** What an agent's client appends: a reply (or a note with kind 'note'). */
    reply(
      conversationId: string,
      text: string,
      extra: Partial<Omit<AgentMessage, 'kind'>> & { kind?: 'agent' | 'note' } = {},
    ) {
      const message = {
        id: newId<MessageId>(),
        kind: 'agent' as const,
        authorId: AGENT,
        text,
        createdAt: clock.now,
        ...extra,
      } as AgentMessage
      harness
        .doc(conversationId)
        .transact((doc) => appendMessage(doc, message, ORIGIN.local), ORIGIN.local)
      return message
    },
    receipt(conversationId: string, messageId: string) {
      return conversationParts(harness.doc(conversationId).doc).receipts.get(messageId) as
        { status: string; waMessageId?: string; error?: string } | undefined
    },
    /** Pumps, waits for lanes, moves the clock to the next backoff, until nothing is due. */
    async drain(rounds = 100) {
      for (let i = 0; i < rounds; i++) {
        current.outbound.pump()
        await current.outbound.idle()
        const heads = outbox.heads()
        if (heads.length === 0) return
        clock.now = Math.max(clock.now, Math.min(...heads.map((row) => row.nextAttemptAt)))
      }
    },
    /** kill -9: nothing is stopped or flushed; a new module boots on the same database. */
    crash() {
      current = boot()
    },
    async close() {
      await current.outbound.stop()
      current.docs.close()
      db.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return harness
}

export type Harness = ReturnType<typeof createHarness>
