/**
 * Presence (awareness) says only what the server vouches for: the name peers see is the account's
 * own, and a state that does not fit the presence schema closes its sender with 4400 and reaches
 * nobody. Stock y-websocket clients, as browsers use them, against the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type SyncClient } from './helpers/clients.js'
import { startTestServer, type TestServer } from './helpers/server.js'
import { addAgent, startConversation, type Member } from './helpers/team.js'

let server: TestServer
let ana: Member
let bob: Member
let conversationId: string
const clients: SyncClient[] = []

interface Seen {
  user?: { id?: string; name?: string }
  viewing?: unknown
  [key: string]: unknown
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

async function open(token: string): Promise<SyncClient> {
  const client = connect(server.wsUrl, 'inbox', token)
  clients.push(client)
  await client.synced
  return client
}

/** Every state `client` was ever shown for the awareness id `of`, in order. */
function record(client: SyncClient, of: () => number): unknown[] {
  const seen: unknown[] = []
  const awareness = client.provider.awareness
  awareness.on('change', () => {
    const state = awareness.getStates().get(of())
    if (state !== undefined) seen.push(state)
  })
  return seen
}

/** Resolves with the first state of another client that `client` sees and `predicate` accepts. */
function seenBy(client: SyncClient, predicate: (state: Seen) => boolean): Promise<Seen> {
  const awareness = client.provider.awareness
  return new Promise((resolve) => {
    const check = () => {
      for (const [id, state] of awareness.getStates()) {
        if (id !== awareness.clientID && predicate(state as Seen)) {
          awareness.off('change', check)
          resolve(state as Seen)
        }
      }
    }
    awareness.on('change', check)
    check()
  })
}

describe('presence names', () => {
  it('shows peers the account’s own name, whatever name the client claims', async () => {
    const forger = await open(ana.token)
    const colleague = await open(bob.token)
    const otherTab = await open(ana.token)
    forger.provider.awareness.setLocalState({
      user: { id: ana.id, name: 'Admin Ana' },
      viewing: conversationId,
      typing: { conversationId, mode: 'reply' },
    })
    const byAna = (state: Seen) => state.user?.id === ana.id && state.viewing === conversationId
    const [toBob, toOtherTab] = await Promise.all([
      seenBy(colleague, byAna),
      seenBy(otherTab, byAna),
    ])
    expect(toBob).toEqual({
      user: { id: ana.id, name: 'Ana Souza' },
      viewing: conversationId,
      typing: { conversationId, mode: 'reply' },
    })
    expect(toOtherTab.user?.name).toBe('Ana Souza')

    // A newcomer makes every stock client re-send what it heard (the rewritten state included):
    // those echoes are dropped quietly, nobody is closed, and the newcomer sees the real name too.
    const newcomer = await open(bob.token)
    expect((await seenBy(newcomer, byAna)).user?.name).toBe('Ana Souza')
    for (const client of [forger, colleague, otherTab, newcomer])
      expect(client.provider.wsconnected).toBe(true)
  })
})

describe('presence that does not fit the schema', () => {
  const cases: Array<[string, (ids: { ana: string; conversation: string }) => unknown]> = [
    [
      'no user.id',
      ({ conversation }) => ({
        user: { name: 'Nobody' },
        typing: { conversationId: conversation, mode: 'reply' },
      }),
    ],
    [
      'an extra field',
      ({ ana, conversation }) => ({ user: { id: ana }, viewing: conversation, cursor: { x: 1 } }),
    ],
    ['an extra user field', ({ ana }) => ({ user: { id: ana, role: 'admin' }, viewing: null })],
    [
      'an oversize name',
      ({ ana }) => ({ user: { id: ana, name: 'A'.repeat(5000) }, viewing: null }),
    ],
    ['an oversize viewing', ({ ana }) => ({ user: { id: ana }, viewing: 'x'.repeat(5000) })],
    [
      'typing of an unknown kind',
      ({ ana, conversation }) => ({
        user: { id: ana },
        typing: { conversationId: conversation, mode: 'shout' },
      }),
    ],
  ]

  it.each(cases)(
    'closes the sender of a state with %s (4400); no peer hears it',
    async (_label, make) => {
      const witness = await open(bob.token)
      const sender = await open(ana.token)
      const heard = record(witness, () => sender.doc.clientID)
      sender.provider.awareness.setLocalState(
        make({ ana: ana.id, conversation: conversationId }) as Record<string, unknown>,
      )
      expect((await sender.closed).code).toBe(4400)

      // An honest state sent after the refusal reaches the witness; the refused one never did (the
      // sender's only state it knew is the stock client's empty one, from before).
      const honest = await open(ana.token)
      const marker = crypto.randomUUID()
      honest.provider.awareness.setLocalState({ user: { id: ana.id }, viewing: marker })
      await seenBy(witness, (state) => state.viewing === marker)
      expect(heard.every((state) => JSON.stringify(state) === '{}')).toBe(true)
      honest.destroy()
    },
  )
})
