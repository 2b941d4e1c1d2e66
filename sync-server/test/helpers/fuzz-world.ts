/**
 * The world the fuzz tests attack: one real server pointed at a fake Meta, two agents, and a
 * conversation with known content (a signed customer webhook, an agent reply and a note written
 * through the stock y-websocket client). After the attack, `intact()` proves the server is up, the
 * known messages are exactly as they were, and a well-formed signed webhook still gets through.
 *
 *   const world = await startFuzzWorld()
 *   // … throw hostile input at world.server …
 *   await world.intact({ alsoExpect: legalAppends })
 *   await world.close()
 */
import Database from 'better-sqlite3'
import path from 'node:path'
import {
  appendMessage,
  conversationDocName,
  INBOX_DOC,
  readInbox,
  readMessages,
  type AgentId,
  type Message,
  type MessageId,
} from '@atende/shared'
import { expect } from 'vitest'
import { connect, waitForDoc, type SyncClient } from './clients.js'
import { startFakeMeta, textMessage, type FakeMeta } from './fake-meta.js'
import { startTestServer, type TestServer } from './server.js'
import { addAgent, type Member } from './team.js'

/** The known customer; fuzz generators never produce this number. */
export const CUSTOMER = { waId: '5511900000001', name: 'Known Customer' } as const

export interface FuzzWorld {
  meta: FakeMeta
  server: TestServer
  ana: Member
  bob: Member
  conversationId: string
  docName: string
  /**
   * The conversation's messages: once set up, a customer message, Ana's reply and Ana's note; after
   * each `intact()`, what it found plus its own customer message.
   */
  readonly known: Message[]
  /** A stock client, destroyed by `close()`. */
  open(docName: string, token: string): SyncClient
  /** The conversation's messages as a fresh stock client sees them after its first sync. */
  readConversation(): Promise<Message[]>
  /** A query on the server's database (read-only, beside the running server). */
  sql<T>(query: string, ...params: unknown[]): T[]
  /** Server log lines at level `error`. */
  errorLines(): string[]
  /**
   * Asserts the server survived: /healthz answers 200, the process runs, the conversation holds
   * exactly `known` plus `alsoExpect` (ids), and a signed customer webhook still reaches it.
   */
  intact(options?: { alsoExpect?: readonly string[] }): Promise<void>
  close(): Promise<void>
}

/** A reply or note in `author`'s name, valid by the rules. */
export function agentMessage(author: Member, text: string, kind: 'agent' | 'note' = 'agent') {
  return {
    id: crypto.randomUUID() as MessageId,
    kind,
    authorId: author.id as AgentId,
    text,
    createdAt: Date.now(),
  }
}

export async function startFuzzWorld(): Promise<FuzzWorld> {
  const meta = await startFakeMeta()
  const server = await startTestServer({ env: meta.env })
  const clients: SyncClient[] = []
  let db: Database.Database | null = null
  const open = (docName: string, token: string) => {
    const client = connect(server.wsUrl, docName, token)
    clients.push(client)
    return client
  }
  const fresh = async (docName: string, token: string) => {
    const client = connect(server.wsUrl, docName, token)
    await client.synced
    return client
  }

  const admin = await server.loginAdmin()
  const ana = await addAgent(server, admin, 'Ana Fuzz')
  const bob = await addAgent(server, admin, 'Bob Fuzz')

  const customerSays = async (text: string) => {
    const response = await meta.webhook(
      server.url,
      meta.messages(CUSTOMER, textMessage(CUSTOMER.waId, text)),
    )
    expect(response.status).toBe(200)
  }

  await customerSays('Olá, preciso de ajuda com o meu pedido')
  const inbox = await fresh(INBOX_DOC, ana.token)
  const card = () => readInbox(inbox.doc).find((c) => c.phone === `+${CUSTOMER.waId}`)
  await waitForDoc(inbox.doc, () => card() !== undefined)
  const conversationId = card()!.id
  inbox.destroy()
  const docName = conversationDocName(conversationId)

  const writer = await fresh(docName, ana.token)
  await waitForDoc(writer.doc, (doc) => readMessages(doc).length > 0)
  const reply = agentMessage(ana, 'Claro! Qual é o número do pedido?')
  const note = { ...agentMessage(ana, 'cliente VIP, atenção', 'note'), mentions: [bob.id] }
  appendMessage(writer.doc, reply, 'local')
  appendMessage(writer.doc, note as Message, 'local')
  const witness = await fresh(docName, bob.token)
  await waitForDoc(witness.doc, (doc) => readMessages(doc).some((m) => m.id === note.id))
  let known = readMessages(witness.doc)
  witness.destroy()
  writer.destroy()
  await meta.waitForSends(1)

  const readConversation = async () => {
    const client = await fresh(docName, bob.token)
    const messages = readMessages(client.doc)
    client.destroy()
    return messages
  }

  return {
    meta,
    server,
    ana,
    bob,
    conversationId,
    docName,
    get known() {
      return known
    },
    open,
    readConversation,
    sql<T>(query: string, ...params: unknown[]) {
      db ??= new Database(path.join(server.dataDir, 'atende.db'), { readonly: true })
      return db.prepare(query).all(...params) as T[]
    },
    errorLines: () =>
      server
        .output()
        .stdout.split('\n')
        .filter((line) => line.includes('"level":"error"')),
    async intact(options = {}) {
      expect(server.child.exitCode).toBeNull()
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
      const messages = await readConversation()
      const expected = [...known.map((m) => m.id), ...(options.alsoExpect ?? [])]
      expect(messages.map((m) => m.id).sort()).toEqual([...expected].sort())
      // Known messages are untouched and keep their order.
      expect(messages.filter((m) => known.some((k) => k.id === m.id))).toEqual(known)

      const text = `still listening ${crypto.randomUUID()}`
      await customerSays(text)
      const client = await fresh(docName, bob.token)
      await waitForDoc(client.doc, (doc) => readMessages(doc).some((m) => m.text === text))
      known = readMessages(client.doc) // the next check starts from here
      client.destroy()
    },
    async close() {
      for (const client of clients) {
        // A client whose id was taken over by another writer has regenerated it, and y-websocket's
        // destroy then trips over its stale awareness entry: nothing to clean up there.
        try {
          client.destroy()
        } catch {
          client.doc.destroy()
        }
      }
      db?.close()
      await server.stop()
      await meta.close()
    },
  }
}
