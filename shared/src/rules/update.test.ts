import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Actor } from '../model/agent.js'
import type { AgentId, ConversationId, ContactId, MessageId } from '../model/ids.js'
import type { Message } from '../model/message.js'
import { conversationParts, inboxMap } from '../ydoc/schema.js'
import { appendMessage, insertMessageByTime, writeMeta, writeReceipt } from '../ydoc/write.js'
import { checkConversationUpdate, checkInboxUpdate, type UpdateContext } from './update.js'

const ana: Actor = { id: 'a0000000-0000-4000-8000-000000000001' as AgentId, role: 'agent' }
const bob: Actor = { id: 'b0000000-0000-4000-8000-000000000002' as AgentId, role: 'agent' }
const now = Date.UTC(2026, 10, 26, 12)
let counter = 0
const uuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}` as MessageId

function reply(author: Actor, text = 'Hello!'): Message {
  return { id: uuid(), kind: 'agent', authorId: author.id, text, createdAt: now }
}

/** A server doc with meta, a customer message and a receipt, and a client synced from it. */
function setup() {
  const server = new Y.Doc()
  writeMeta(
    server,
    { id: uuid() as string as ConversationId, status: 'open', assigneeId: null },
    'server',
  )
  writeMeta(server, { status: 'pending' }, 'server') // leaves a deleted item behind
  insertMessageByTime(
    server,
    {
      id: uuid(),
      kind: 'customer',
      authorId: uuid() as string as ContactId,
      waMessageId: 'wamid.1',
      type: 'text',
      text: 'Hi',
      createdAt: now - 1000,
    },
    'whatsapp',
  )
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  return { server, client }
}

function ctxFor(server: Y.Doc, actor = ana): UpdateContext {
  const ids = new Set((conversationParts(server).messages.toArray() as Message[]).map((m) => m.id))
  return { actor, now, messageIds: ids }
}

/** What the client would send: its changes since it last matched the server. */
function diff(client: Y.Doc, server: Y.Doc): Uint8Array {
  return Y.encodeStateAsUpdate(client, Y.encodeStateVector(server))
}

describe('checkConversationUpdate', () => {
  it('accepts an agent appending a reply and a note in their own name', () => {
    const { server, client } = setup()
    appendMessage(client, reply(ana), 'local')
    appendMessage(
      client,
      {
        id: uuid(),
        kind: 'note',
        authorId: ana.id,
        text: 'VIP',
        createdAt: now,
        mentions: [bob.id],
      },
      'local',
    )
    expect(checkConversationUpdate(server, diff(client, server), ctxFor(server))).toEqual({
      ok: true,
      appended: 2,
    })
  })

  it('accepts the echo of deletions the server made (sync step 2 carries the whole delete set)', () => {
    const { server, client } = setup()
    expect(checkConversationUpdate(server, Y.encodeStateAsUpdate(client), ctxFor(server)).ok).toBe(
      true,
    )
  })

  it('accepts a reply appended offline after the server appended more', () => {
    const { server, client } = setup()
    appendMessage(client, reply(ana), 'local')
    insertMessageByTime(server, { ...reply(bob), createdAt: now + 5 }, 'server')
    expect(checkConversationUpdate(server, diff(client, server), ctxFor(server)).ok).toBe(true)
  })

  it.each([
    ['another agent’s name', () => reply(bob)],
    ['a customer message', () => ({ ...reply(ana), kind: 'customer', waMessageId: 'x' })],
    ['an event', () => ({ ...reply(ana), kind: 'event' })],
    ['an empty text', () => reply(ana, '  ')],
    ['a text over 4096 characters', () => reply(ana, 'x'.repeat(4097))],
    ['a time far in the future', () => ({ ...reply(ana), createdAt: now + 3_600_000 })],
    ['an unexpected field', () => ({ ...reply(ana), html: '<b>' })],
    ['a non-uuid id', () => ({ ...reply(ana), id: 'x' })],
  ])('refuses %s', (_label, make) => {
    const { server, client } = setup()
    conversationParts(client).messages.push([make()])
    const verdict = checkConversationUpdate(server, diff(client, server), ctxFor(server))
    expect(verdict.ok).toBe(false)
  })

  it('refuses reusing the id of an existing message', () => {
    const { server, client } = setup()
    const existing = (conversationParts(server).messages.get(0) as Message).id
    appendMessage(client, { ...reply(ana), id: existing }, 'local')
    expect(checkConversationUpdate(server, diff(client, server), ctxFor(server))).toMatchObject({
      ok: false,
    })
  })

  it('refuses inserting before existing messages (reordering)', () => {
    const { server, client } = setup()
    conversationParts(client).messages.insert(0, [reply(ana)])
    expect(checkConversationUpdate(server, diff(client, server), ctxFor(server))).toMatchObject({
      ok: false,
    })
  })

  it('refuses deleting a message', () => {
    const { server, client } = setup()
    conversationParts(client).messages.delete(0, 1)
    expect(checkConversationUpdate(server, diff(client, server), ctxFor(server))).toMatchObject({
      ok: false,
      reason: 'clients may not delete content',
    })
  })

  it.each([
    ['meta', (doc: Y.Doc) => conversationParts(doc).meta.set('assigneeId', ana.id)],
    ['receipts', (doc: Y.Doc) => writeReceipt(doc, 'm', { status: 'read', at: now }, 'local')],
    ['a new root type', (doc: Y.Doc) => doc.getMap('evil').set('x', 1)],
    [
      'a forged edit or deletion of a customer message',
      (doc: Y.Doc) =>
        conversationParts(doc).amendments.set('m', {
          edits: [{ text: 'forged', at: now, waMessageId: 'wamid.x' }],
          revokedAt: now,
        }),
    ],
    [
      'a customer message claiming to be edited',
      (doc: Y.Doc) =>
        appendMessage(
          doc,
          { ...reply(ana), earlierVersions: [{ text: 'x', at: now }] } as unknown as Message,
          'local',
        ),
    ],
    [
      'a nested type in messages',
      (doc: Y.Doc) => conversationParts(doc).messages.push([new Y.Map()]),
    ],
    ['text content in messages', (doc: Y.Doc) => doc.getText('messages').insert(0, 'x')],
  ])('refuses writing %s', (_label, write) => {
    const { server, client } = setup()
    write(client)
    expect(checkConversationUpdate(server, diff(client, server), ctxFor(server)).ok).toBe(false)
  })

  it('refuses an update that depends on content the server does not have', () => {
    const { server, client } = setup()
    appendMessage(client, reply(ana), 'local')
    const sv = Y.encodeStateVector(client)
    appendMessage(client, reply(ana), 'local')
    const second = Y.encodeStateAsUpdate(client, sv) // origin is the first, unsent reply
    expect(checkConversationUpdate(server, second, ctxFor(server))).toMatchObject({ ok: false })
  })

  it('refuses writing under a client id another agent wrote with (it would shadow their writes)', () => {
    const { server, client } = setup()
    appendMessage(client, reply(bob), 'local')
    const first = diff(client, server)
    expect(checkConversationUpdate(server, first, ctxFor(server, bob)).ok).toBe(true)
    Y.applyUpdate(server, first)
    // Ana's note, made under Bob's client id.
    const squatter = new Y.Doc()
    Y.applyUpdate(squatter, Y.encodeStateAsUpdate(server))
    squatter.clientID = client.clientID // after the sync: Yjs renames a client that sees its own id
    appendMessage(squatter, reply(ana), 'local')
    expect(checkConversationUpdate(server, diff(squatter, server), ctxFor(server))).toEqual({
      ok: false,
      reason: 'the update claims another writer’s client id',
    })
    // Bob himself carries on under it.
    appendMessage(client, reply(bob), 'local')
    expect(checkConversationUpdate(server, diff(client, server), ctxFor(server, bob)).ok).toBe(true)
  })

  it('refuses garbage bytes without throwing', () => {
    const { server } = setup()
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (bytes) => {
        const verdict = checkConversationUpdate(server, bytes, ctxFor(server))
        if (verdict.ok) expect(verdict.appended).toBe(0)
      }),
    )
  })

  it('never lets a change outside appended messages through (property)', () => {
    // Random client edits: appends (valid or not), inserts, deletes, meta and receipt writes.
    const action = fc.oneof(
      fc.record({ op: fc.constant('append' as const), own: fc.boolean() }),
      fc.record({ op: fc.constant('insert0' as const) }),
      fc.record({ op: fc.constant('delete' as const) }),
      fc.record({ op: fc.constant('meta' as const), value: fc.string() }),
    )
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 8 }), (actions) => {
        const { server, client } = setup()
        for (const a of actions) {
          const messages = conversationParts(client).messages
          if (a.op === 'append') messages.push([reply(a.own ? ana : bob)])
          if (a.op === 'insert0') messages.insert(0, [reply(ana)])
          if (a.op === 'delete' && messages.length > 0) messages.delete(0, 1)
          if (a.op === 'meta') conversationParts(client).meta.set('status', a.value)
        }
        const before = JSON.stringify({
          meta: conversationParts(server).meta.toJSON(),
          n: conversationParts(server).messages.toArray(),
        })
        const verdict = checkConversationUpdate(server, diff(client, server), ctxFor(server))
        const onlyOwnAppends = actions.every((a) => a.op === 'append' && a.own)
        expect(verdict.ok).toBe(onlyOwnAppends)
        if (verdict.ok) {
          Y.applyUpdate(server, diff(client, server))
          const after = conversationParts(server).messages.toArray() as Message[]
          expect(
            JSON.stringify({ meta: conversationParts(server).meta.toJSON(), n: after.slice(0, 1) }),
          ).toBe(before)
        }
      }),
    )
  })
})

describe('checkInboxUpdate', () => {
  it('accepts an empty update and the echo of the server’s deletions', () => {
    const server = new Y.Doc()
    inboxMap(server).set('c1', { unread: 1 })
    inboxMap(server).set('c1', { unread: 2 })
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    expect(
      checkInboxUpdate(server, Y.encodeStateAsUpdate(client, Y.encodeStateVector(server))).ok,
    ).toBe(true)
    expect(checkInboxUpdate(server, Y.encodeStateAsUpdate(client)).ok).toBe(true)
  })

  it('refuses any client write', () => {
    const server = new Y.Doc()
    inboxMap(server).set('c1', { unread: 1 })
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    inboxMap(client).set('c1', { unread: 0 })
    expect(checkInboxUpdate(server, diff(client, server)).ok).toBe(false)
    const deleter = new Y.Doc()
    Y.applyUpdate(deleter, Y.encodeStateAsUpdate(server))
    inboxMap(deleter).delete('c1')
    expect(checkInboxUpdate(server, diff(deleter, server)).ok).toBe(false)
  })
})
