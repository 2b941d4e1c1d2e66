/**
 * In-process lifecycle set-up for unit tests and the close benchmark: a SQLite database (a file,
 * so a "restart" can reopen it), the real DocManager, lifecycle deps, and helpers to add agents
 * and fill conversations with server-side writes.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  appendMessage,
  conversationDocName,
  insertMessageByTime,
  newId,
  ORIGIN,
  writeReceipt,
  type Actor,
  type AgentId,
  type ContactId,
  type Message,
  type MessageId,
} from '@atende/shared'
import { openConversation } from '../../src/lifecycle/conversations.js'
import { createLifecycleDeps, type LifecycleDeps } from '../../src/lifecycle/events.js'
import { createLogger } from '../../src/log.js'
import { openDatabase, type Db } from '../../src/store/db.js'
import { createDocumentStore } from '../../src/store/documents.js'
import { DocManager } from '../../src/sync/docs.js'

export interface LifecycleKit {
  db: Db
  docs: DocManager
  deps: LifecycleDeps
  file: string
  agent(name: string, role?: Actor['role']): Actor
  /** Opens a live conversation with a new contact; returns its id and the contact's. */
  conversation(name?: string, waId?: string): { id: string; contactId: string }
  /** Writes `count` messages (customer, agent with receipt, note, customer image) server-side. */
  fill(conversationId: string, count: number, agent: Actor): Message[]
  /** Closes docs and database (keeping the file); `reopen` starts again on the same file. */
  shutdown(): void
  reopen(): LifecycleKit
  /** Shuts down and deletes the file. */
  dispose(): void
}

let waCounter = 5511900000000

export function lifecycleKit(existing?: string): LifecycleKit {
  const file =
    existing ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'atende-unit-')), 'atende.db')
  const db = openDatabase(file)
  const log = createLogger('test', { level: 'error', write: () => {} })
  const docs = new DocManager({ store: createDocumentStore(db), log })
  const deps = createLifecycleDeps({ db, docs, log })
  const insertAgent = db.prepare(
    `INSERT INTO agents (id, name, email, role, active, password_hash, created_at, updated_at)
     VALUES (?, ?, ?, ?, 1, 'x', 0, 0)`,
  )
  const kit: LifecycleKit = {
    db,
    docs,
    deps,
    file,
    agent(name, role = 'agent') {
      const id = newId<AgentId>()
      insertAgent.run(id, name, `${id}@test.local`, role)
      return { id, role }
    },
    conversation(name = 'Maria Customer', waId = String(waCounter++)) {
      const contact = deps.contacts.findOrCreateByWaId(waId, name)
      const { conversation } = openConversation(deps, contact)
      return { id: conversation.id, contactId: contact.id }
    },
    fill(conversationId, count, agent) {
      const shared = docs.get(conversationDocName(conversationId))
      const contactId = shared.doc.getMap('meta').get('contactId') as ContactId
      const start = Date.now() - count * 1000
      const written: Message[] = []
      shared.transact((doc) => {
        for (let i = 0; i < count; i++) {
          const base = { id: newId<MessageId>(), createdAt: start + i * 1000 }
          let message: Message
          if (i % 4 === 0) {
            message = {
              ...base,
              kind: 'customer',
              authorId: contactId,
              waMessageId: `wamid.${base.id}`,
              type: 'text',
              text: `Customer message ${i}`,
            }
          } else if (i % 4 === 1) {
            message = { ...base, kind: 'agent', authorId: agent.id, text: `Agent reply ${i}` }
          } else if (i % 4 === 2) {
            message = { ...base, kind: 'note', authorId: agent.id, text: `Internal note ${i}` }
          } else {
            const media = { mediaId: newId(), mimeType: 'image/jpeg', caption: `Photo ${i}` }
            message = {
              ...base,
              kind: 'customer',
              authorId: contactId,
              waMessageId: `wamid.${base.id}`,
              type: 'image',
              text: `Photo ${i}`,
              media,
            }
          }
          if (message.kind === 'customer') insertMessageByTime(doc, message, ORIGIN.whatsapp)
          else appendMessage(doc, message, ORIGIN.server)
          if (message.kind === 'agent') {
            writeReceipt(
              doc,
              message.id,
              { status: 'delivered', waMessageId: `wamid.out.${i}`, at: base.createdAt },
              ORIGIN.whatsapp,
            )
          }
          written.push(message)
        }
      }, ORIGIN.server)
      return written
    },
    shutdown() {
      docs.close()
      db.close()
    },
    reopen() {
      kit.shutdown()
      return lifecycleKit(file)
    },
    dispose() {
      if (db.open) kit.shutdown()
      fs.rmSync(path.dirname(file), { recursive: true, force: true })
    },
  }
  return kit
}
