/**
 * Set-up of the lifecycle integration tests (tickets, close, delete, assign, contacts): a fake
 * Meta, the real server pointed at it, an admin and two agents, customers writing through signed
 * webhooks, and stock y-websocket clients.
 */
import {
  appendMessage,
  conversationDocName,
  INBOX_DOC,
  newId,
  readInbox,
  readMessages,
  type AgentId,
  type InboxSummary,
  type Message,
  type MessageId,
} from '@atende/shared'
import { connect, waitForDoc, type SyncClient } from './clients.js'
import { startFakeMeta, textMessage, type FakeMeta } from './fake-meta.js'
import { startTestServer, type TestServer } from './server.js'
import { addAgent, api, type Member } from './team.js'

export interface LifecycleWorld {
  meta: FakeMeta
  server: TestServer
  admin: Member
  ana: Member
  bob: Member
  call<T = Record<string, unknown>>(
    who: Member,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>
  /** A customer writes (signed webhook); resolves with their live conversation's id. */
  customerSays(waId: string, text: string, name?: string): Promise<string>
  /** A stock y-websocket client of `docName` as `who`, synced (closed at the end). */
  open(docName: string, who: Member): Promise<SyncClient>
  /** An unsynced client (for watching refusals). */
  openRaw(docName: string, who: Member): SyncClient
  /** The admin's live view of the inbox doc. */
  inbox(): Promise<SyncClient>
  card(id: string): InboxSummary | undefined
  /** Appends an agent reply or note as `who` and waits until the server has it. */
  write(conversationId: string, who: Member, kind: 'agent' | 'note', text: string): Promise<Message>
  close(): Promise<void>
}

let numbers = 5511970000000
/** A fresh customer number (wa_id form, no plus). */
export const newCustomer = () => String(numbers++ + Math.floor(Math.random() * 1000) * 1000)

export async function startLifecycleWorld(): Promise<LifecycleWorld> {
  const meta = await startFakeMeta()
  const server = await startTestServer({ env: meta.env })
  const adminToken = await server.loginAdmin()
  const me = await api<{ user: { id: string } }>(server, adminToken, 'GET', '/api/me')
  const admin: Member = { id: me.body.user.id, token: adminToken }
  const [ana, bob] = [
    await addAgent(server, adminToken, 'Ana Souza'),
    await addAgent(server, adminToken, 'Bob Lima'),
  ]
  const clients: SyncClient[] = []
  let inboxClient: SyncClient | null = null

  const world: LifecycleWorld = {
    meta,
    server,
    admin,
    ana,
    bob,
    call: (who, method, path, body) => api(server, who.token, method, path, body),
    async inbox() {
      if (!inboxClient) {
        inboxClient = connect(server.wsUrl, INBOX_DOC, adminToken)
        clients.push(inboxClient)
      }
      await inboxClient.synced
      return inboxClient
    },
    card: (id) => (inboxClient ? readInbox(inboxClient.doc).find((c) => c.id === id) : undefined),
    async customerSays(waId, text, name = 'Maria Customer') {
      const inbox = await world.inbox()
      const payload = meta.messages({ waId, name }, textMessage(waId, text))
      const response = await meta.webhook(server.url, payload)
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`)
      const find = () =>
        readInbox(inbox.doc).find((c) => c.phone === `+${waId}` && c.lastCustomerMessage === text)
      await waitForDoc(inbox.doc, () => find() !== undefined)
      return find()!.id
    },
    async open(docName, who) {
      const client = world.openRaw(docName, who)
      await client.synced
      return client
    },
    openRaw(docName, who) {
      const client = connect(server.wsUrl, docName, who.token)
      clients.push(client)
      return client
    },
    async write(conversationId, who, kind, text) {
      const client = await world.open(conversationDocName(conversationId), who)
      const message = {
        id: newId<MessageId>(),
        kind,
        authorId: who.id as AgentId,
        text,
        createdAt: Date.now(),
      }
      appendMessage(client.doc, message, 'local')
      // The server has it once another client sees it.
      const witness = await world.open(conversationDocName(conversationId), admin)
      await waitForDoc(witness.doc, (doc) => readMessages(doc).some((m) => m.id === message.id))
      return message
    },
    async close() {
      for (const client of clients) client.destroy()
      await server.stop()
      await meta.close()
    },
  }
  return world
}

/** Polls `read` until `ok` holds (or 5 s pass), returning the last value. */
export async function eventually<T>(
  read: () => Promise<T> | T,
  ok: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + 5000
  for (;;) {
    const value = await read()
    if (ok(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
