import {
  appendMessage,
  conversationDocName,
  readMessages,
  type AgentId,
  type MessageId,
} from '@atende/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createLogger } from '../log.js'
import { openDatabase } from '../store/db.js'
import { createDocumentStore } from '../store/documents.js'
import { DocManager, UnknownDocument } from './docs.js'

const quiet = createLogger('test', { write: () => {} })
const conversationId = '3b241101-e2bb-4255-8caf-4136c566a962'
const name = conversationDocName(conversationId)
const agent = 'a0000000-0000-4000-8000-000000000001' as AgentId

function setup(compactAfter = 100) {
  const db = openDatabase(':memory:')
  db.prepare(
    'INSERT INTO conversations (id, contact_id, status, created_at) VALUES (?, ?, ?, ?)',
  ).run(conversationId, 'c', 'open', Date.now())
  const store = createDocumentStore(db)
  const manager = () => new DocManager({ store, log: quiet, idleMs: 1000, compactAfter })
  const logRows = () =>
    (db.prepare('SELECT count(*) AS n FROM ydoc_updates').get() as { n: number }).n
  return { db, store, manager, logRows }
}

function write(manager: DocManager, count: number) {
  const shared = manager.get(name)
  for (let i = 0; i < count; i++) {
    shared.transact((doc) => {
      appendMessage(
        doc,
        {
          id: crypto.randomUUID() as MessageId,
          kind: 'note',
          authorId: agent,
          text: `n${i}`,
          createdAt: Date.now(),
        },
        'server',
      )
    }, 'server')
  }
}

describe('DocManager', () => {
  it('refuses names that are not documents of ours', () => {
    const { manager } = setup()
    const docs = manager()
    expect(() => docs.get('conversation:00000000-0000-4000-8000-000000000000')).toThrow(
      UnknownDocument,
    )
    expect(() => docs.get('../etc/passwd')).toThrow(UnknownDocument)
    expect(docs.get('inbox').doc).toBeInstanceOf(Y.Doc)
  })

  it('keeps the update log bounded while writing, so loading does not grow with history', async () => {
    const { manager, logRows } = setup(100)
    const docs = manager()
    write(docs, 1000)
    await new Promise((resolve) => setImmediate(resolve)) // compaction runs after the burst
    expect(logRows()).toBeLessThan(100)
    docs.close()
    expect(logRows()).toBe(0)
    const reloaded = manager()
    expect(readMessages(reloaded.get(name).doc)).toHaveLength(1000)
  })

  it('a log left long by a crash is folded on the next load', () => {
    const { manager, logRows } = setup(50)
    const docs = manager()
    const shared = docs.get(name)
    // Simulate a crash before compaction: the log is written but never folded.
    shared.compact = () => {}
    write(docs, 200)
    expect(logRows()).toBe(200)
    const after = manager()
    expect(readMessages(after.get(name).doc)).toHaveLength(200)
    expect(logRows()).toBe(0)
  })

  it('unloads idle documents and reloads them with the same state', () => {
    const { manager } = setup()
    const docs = manager()
    write(docs, 10)
    docs.sweep(Date.now() + 60_000)
    expect(docs.loadedCount).toBe(0)
    expect(readMessages(docs.get(name).doc)).toHaveLength(10)
  })

  it('a removed document is gone from memory and disk', () => {
    const { manager, db } = setup()
    const docs = manager()
    write(docs, 3)
    docs.remove(name)
    db.prepare("UPDATE conversations SET status = 'closed'").run()
    expect(() => docs.get(name)).toThrow(UnknownDocument)
    expect(db.prepare('SELECT count(*) AS n FROM ydocs').get()).toEqual({ n: 0 })
  })

  it('a batch writes several documents in one transaction, and a failed batch keeps none of it', async () => {
    const { manager, logRows } = setup()
    const docs = manager()
    const note = (text: string) => ({
      id: crypto.randomUUID() as MessageId,
      kind: 'note' as const,
      authorId: agent,
      text,
      createdAt: Date.now(),
    })
    docs.batch(() => {
      docs.get(name).transact((doc) => appendMessage(doc, note('kept'), 'server'), 'server')
      docs
        .get('inbox')
        .transact((doc) => doc.getMap('conversations').set(conversationId, { unread: 1 }), 'server')
      expect(logRows()).toBe(0) // nothing is written until the batch commits
    })
    expect(logRows()).toBe(2)
    expect(() =>
      docs.batch(() => {
        docs.get(name).transact((doc) => appendMessage(doc, note('lost'), 'server'), 'server')
        throw new Error('boom')
      }),
    ).toThrow('boom')
    await new Promise((resolve) => setImmediate(resolve))
    expect(logRows()).toBe(2)
    expect(readMessages(docs.get(name).doc).map((m) => m.text)).toEqual(['kept'])
  })
})
