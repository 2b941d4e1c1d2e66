import {
  appendMessage,
  conversationDocName,
  conversationParts,
  readInbox,
  readMessages,
  type AgentId,
  type MessageId,
} from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, rawSocket, waitForDoc, type SyncClient } from './helpers/clients.js'
import { startTestServer, type TestServer } from './helpers/server.js'
import { addAgent, startConversation, type Member } from './helpers/team.js'

let server: TestServer
let ana: Member
let bob: Member
let conversationId: string
const clients: SyncClient[] = []

function open(docName: string, token: string | null): SyncClient {
  const client = connect(server.wsUrl, docName, token)
  clients.push(client)
  return client
}

function note(author: Member, text: string) {
  return {
    id: crypto.randomUUID() as MessageId,
    kind: 'note' as const,
    authorId: author.id as AgentId,
    text,
    createdAt: Date.now(),
  }
}

beforeAll(async () => {
  server = await startTestServer()
  const admin = await server.loginAdmin()
  ana = await addAgent(server, admin, 'Ana Souza')
  bob = await addAgent(server, admin, 'Bob Lima')
  conversationId = await startConversation(server, ana.token)
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.stop()
})

describe('two agents on one conversation', () => {
  it('converge: each sees the other’s replies and notes, in one order', async () => {
    const name = conversationDocName(conversationId)
    const a = open(name, ana.token)
    const b = open(name, bob.token)
    await Promise.all([a.synced, b.synced])
    expect(conversationParts(a.doc).meta.get('id')).toBe(conversationId)

    for (let i = 0; i < 20; i++) {
      appendMessage(a.doc, note(ana, `from Ana ${i}`), 'local')
      appendMessage(b.doc, { ...note(bob, `from Bob ${i}`), kind: 'agent' }, 'local')
    }
    const hasAll = (doc: typeof a.doc) =>
      readMessages(doc).filter((m) => m.kind !== 'event').length >= 40
    await Promise.all([waitForDoc(a.doc, hasAll), waitForDoc(b.doc, hasAll)])
    expect(readMessages(a.doc).map((m) => m.id)).toEqual(readMessages(b.doc).map((m) => m.id))
  })

  it('lists the conversation in the inbox doc, which agents read but cannot write', async () => {
    const inbox = open('inbox', bob.token)
    await inbox.synced
    expect(readInbox(inbox.doc).map((s) => s.id)).toContain(conversationId)
    inbox.doc.getMap('conversations').set(conversationId, { unread: 0 })
    expect((await inbox.closed).code).toBe(4403)

    const fresh = open('inbox', ana.token)
    await fresh.synced
    expect(
      (fresh.doc.getMap('conversations').get(conversationId) as { contactName: string })
        .contactName,
    ).toBe('Maria Customer')
  })
})

describe('the inbox card', () => {
  it('shows an agent reply as the last message; an internal note never reaches it', async () => {
    const name = conversationDocName(conversationId)
    const writer = open(name, ana.token)
    const inbox = open('inbox', bob.token)
    await Promise.all([writer.synced, inbox.synced])
    const card = () =>
      inbox.doc.getMap('conversations').get(conversationId) as { lastMessage: string }
    appendMessage(writer.doc, { ...note(ana, 'We shipped it today'), kind: 'agent' }, 'local')
    await waitForDoc(inbox.doc, () => card().lastMessage === 'We shipped it today')
    appendMessage(writer.doc, note(ana, 'internal: customer is VIP'), 'local')
    // Once a colleague has the note, the server has handled it: the card must not have moved.
    const witness = open(name, bob.token)
    await waitForDoc(witness.doc, (d) =>
      readMessages(d).some((m) => m.text === 'internal: customer is VIP'),
    )
    const fresh = open('inbox', bob.token)
    await fresh.synced
    expect(
      (fresh.doc.getMap('conversations').get(conversationId) as { lastMessage: string })
        .lastMessage,
    ).toBe('We shipped it today')
    appendMessage(writer.doc, { ...note(ana, 'Anything else?'), kind: 'agent' }, 'local')
    await waitForDoc(inbox.doc, () => card().lastMessage === 'Anything else?')
  })
})

describe('authentication of sockets', () => {
  it.each([
    ['no token', null],
    ['a made-up token', 'not-a-session'],
  ])('with %s: closed with 4401 and nothing of the doc is sent', async (_label, token) => {
    const query = token ? `?token=${token}` : ''
    const socket = rawSocket(`${server.wsUrl}/sync/${conversationDocName(conversationId)}${query}`)
    const closed = await socket.closed
    expect(closed.code).toBe(4401)
    expect(socket.frames).toEqual([])
  })

  it('takes the session cookie only from our own pages, not from another site', async () => {
    const url = `${server.wsUrl}/sync/inbox`
    const cookie = `atende_session=${ana.token}`
    const host = new URL(server.url).host
    const ours = rawSocket(url, { cookie, origin: `http://${host}` })
    await ours.opened
    const hijack = rawSocket(url, { cookie, origin: 'https://evil.example' })
    expect((await hijack.closed).code).toBe(4401)
    expect(hijack.frames).toEqual([])
    expect(ours.socket.readyState).toBe(ours.socket.OPEN)
    ours.socket.close()
  })

  it('the stock client stops retrying after a 4401', async () => {
    const client = open('inbox', 'not-a-session')
    expect((await client.closed).code).toBe(4401)
    expect(client.provider.shouldConnect).toBe(false)
  })

  it('a signed-out session can no longer connect', async () => {
    const carol = await addAgent(server, await server.loginAdmin(), 'Carol Dias')
    const before = open('inbox', carol.token)
    await before.synced
    await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${carol.token}` },
    })
    const after = open('inbox', carol.token)
    expect((await after.closed).code).toBe(4401)
  })

  it.each([
    ['an unknown name', 'tickets'],
    [
      'a conversation that does not exist',
      conversationDocName('3b241101-e2bb-4255-8caf-4136c566a962'),
    ],
    ['an upper-case id', 'conversation:3B241101-E2BB-4255-8CAF-4136C566A962'],
  ])('refuses %s with 4404', async (_label, name) => {
    const client = open(name, ana.token)
    expect((await client.closed).code).toBe(4404)
  })
})

describe('the server is authoritative', () => {
  it.each([
    [
      'a message in another agent’s name',
      (c: SyncClient) => appendMessage(c.doc, note(bob, 'forged'), 'local'),
    ],
    [
      'a change to meta',
      (c: SyncClient) => conversationParts(c.doc).meta.set('assigneeId', ana.id),
    ],
    [
      'a receipt',
      (c: SyncClient) => conversationParts(c.doc).receipts.set('x', { status: 'read', at: 1 }),
    ],
    ['deleting a message', (c: SyncClient) => conversationParts(c.doc).messages.delete(0, 1)],
  ])('drops %s, closes the socket with 4403, and others never see it', async (_label, forge) => {
    const name = conversationDocName(conversationId)
    const forger = open(name, ana.token)
    const witness = open(name, bob.token)
    await Promise.all([forger.synced, witness.synced])
    const before = witness.doc.getMap('meta').toJSON()
    const count = readMessages(witness.doc).length
    forge(forger)
    expect((await forger.closed).code).toBe(4403)
    // A later honest write from the witness proves the server went on and nothing forged arrived.
    appendMessage(witness.doc, note(bob, 'still here'), 'local')
    const check = open(name, ana.token)
    await check.synced
    await waitForDoc(check.doc, (d) =>
      readMessages(d).some((m) => m.text === 'still here' && m.authorId === bob.id),
    )
    expect(readMessages(check.doc)).toHaveLength(count + 1)
    expect(check.doc.getMap('meta').toJSON()).toEqual(before)
    expect(readMessages(check.doc).some((m) => m.text === 'forged')).toBe(false)
  })

  it('closes a socket that sends garbage frames; the server and other sockets go on', async () => {
    const name = conversationDocName(conversationId)
    const witness = open(name, bob.token)
    await witness.synced
    const garbage: Array<Uint8Array | string> = [
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      new Uint8Array([0, 2, 200, 1, 2]), // a sync update whose length runs past the frame
      new Uint8Array([9]), // unknown message type
      new Uint8Array([0, 0, 3, 255, 255, 255]), // sync step 1 with a garbage state vector
      new Uint8Array([1, 5, 1, 2, 3, 4, 5]), // an awareness update that is not one
      'hello', // text frame
    ]
    for (const frame of garbage) {
      const socket = rawSocket(`${server.wsUrl}/sync/${name}?token=${ana.token}`)
      await socket.opened
      socket.send(frame)
      expect((await socket.closed).code).toBe(4400)
    }
    const health = await fetch(`${server.url}/healthz`)
    expect(health.status).toBe(200)
    appendMessage(witness.doc, note(bob, 'after garbage'), 'local')
    const check = open(name, ana.token)
    await waitForDoc(check.doc, (d) => readMessages(d).some((m) => m.text === 'after garbage'))
  })

  it('refuses presence published in another agent’s name', async () => {
    const client = open(conversationDocName(conversationId), ana.token)
    await client.synced
    client.provider.awareness.setLocalStateField('user', { id: bob.id, name: 'Bob Lima' })
    expect((await client.closed).code).toBe(4403)
  })

  it('stock clients echo each other’s presence; the server drops the echoes and keeps both', async () => {
    const a = open('inbox', ana.token)
    const b = open('inbox', bob.token)
    await Promise.all([a.synced, b.synced])
    a.provider.awareness.setLocalState({
      user: { id: ana.id, name: 'Ana Souza' },
      viewing: conversationId,
    })
    b.provider.awareness.setLocalState({ user: { id: bob.id, name: 'Bob Lima' }, viewing: null })
    const seesBoth = (client: SyncClient) =>
      new Promise<void>((resolve) => {
        const check = () => {
          const ids = [...client.provider.awareness.getStates().values()].map(
            (s) => (s as { user?: { id: string } }).user?.id,
          )
          if (ids.includes(ana.id) && ids.includes(bob.id)) resolve()
        }
        client.provider.awareness.on('change', check)
        check()
      })
    await Promise.all([seesBoth(a), seesBoth(b)])
    // A third agent joining makes both re-send everything they know; nobody gets closed for it.
    const c = open('inbox', ana.token)
    await c.synced
    await seesBoth(c)
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true)
  })

  it('shares presence (who is viewing, who is typing) between agents', async () => {
    const name = conversationDocName(conversationId)
    const a = open(name, ana.token)
    const b = open(name, bob.token)
    await Promise.all([a.synced, b.synced])
    a.provider.awareness.setLocalState({
      user: { id: ana.id, name: 'Ana Souza' },
      viewing: conversationId,
      typing: { conversationId, mode: 'reply' },
    })
    await new Promise<void>((resolve) => {
      const seen = () => {
        const states = [...b.provider.awareness.getStates().values()] as Array<{
          typing?: { mode: string } | null
          user?: { id: string }
        }>
        if (states.some((s) => s.user?.id === ana.id && s.typing?.mode === 'reply')) resolve()
      }
      b.provider.awareness.on('change', seen)
      seen()
    })
  })
})
