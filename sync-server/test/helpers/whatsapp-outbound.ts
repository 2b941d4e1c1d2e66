/**
 * Outbound integration tests: a real server with Meta played by fake-meta, a signed-in team, and
 * conversations whose 24-hour window a customer opened through a signed webhook.
 */
import {
  conversationDocName,
  type AgentMessage,
  conversationParts,
  type AgentId,
  type MessageId,
  type Receipt,
} from '@atende/shared'
import { connect, waitForDoc, type SyncClient } from './clients.js'
import { startFakeMeta, textMessage, type FakeMeta } from './fake-meta.js'
import { startTestServer, type TestServer } from './server.js'
import { addAgent, api, startConversation, type Member } from './team.js'

export interface World {
  meta: FakeMeta
  server: TestServer
  admin: string
  ana: Member
  clients: SyncClient[]
  close(): Promise<void>
}

export async function startWorld(): Promise<World> {
  const meta = await startFakeMeta()
  const server = await startTestServer({ env: meta.env })
  const admin = await server.loginAdmin()
  const ana = await addAgent(server, admin, 'Ana Souza')
  const clients: SyncClient[] = []
  const world: World = {
    meta,
    server,
    admin,
    ana,
    clients,
    async close() {
      for (const client of clients) client.destroy()
      // The server in the world now: a test that restarted it put the new one there.
      await world.server.stop().catch(() => {})
      await meta.close()
    },
  }
  return world
}

let phoneSerial = 0
/** A fresh customer number per call, so conversations never collide across tests. */
export function customerNumber(): string {
  return `55119${String(process.pid % 1000).padStart(3, '0')}${String(++phoneSerial).padStart(5, '0')}`
}

export async function until<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/**
 * A conversation the agent started with a new number, in which the customer then wrote (a signed
 * webhook): its window is open. Resolves once the server shows the window open.
 */
export async function openConversation(
  world: World,
  token = world.ana.token,
): Promise<{ id: string; waId: string; wamid: string }> {
  const waId = customerNumber()
  const id = await startConversation(world.server, token, `+${waId}`)
  const message = textMessage(waId, 'Olá, preciso de ajuda')
  const response = await world.meta.webhook(
    world.server.url,
    world.meta.messages({ waId, name: 'Maria' }, message),
  )
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`)
  await until(async () => {
    const window = await api<{ open: boolean }>(
      world.server,
      token,
      'GET',
      `/api/conversations/${id}/window`,
    )
    return window.body.open || undefined
  }, 'the window to open')
  return { id, waId, wamid: message.id }
}

/** A y-websocket client on the conversation, as an agent's browser has. */
export async function openDoc(
  world: World,
  conversationId: string,
  token = world.ana.token,
): Promise<SyncClient> {
  const client = connect(world.server.wsUrl, conversationDocName(conversationId), token)
  world.clients.push(client)
  await client.synced
  return client
}

export function reply(author: Member, text: string, replyTo?: string) {
  return {
    id: crypto.randomUUID() as MessageId,
    kind: 'agent' as const,
    authorId: author.id as AgentId,
    text,
    createdAt: Date.now(),
    ...(replyTo ? { replyTo: replyTo as MessageId } : {}),
  }
}

export function receiptOf(client: SyncClient, messageId: string): Receipt | undefined {
  return conversationParts(client.doc).receipts.get(messageId) as Receipt | undefined
}

/** Resolves with the receipt once it has one of `statuses`. */
export async function receiptIn(
  client: SyncClient,
  messageId: string,
  statuses: Receipt['status'][],
): Promise<Receipt> {
  await waitForDoc(client.doc, () =>
    statuses.includes(receiptOf(client, messageId)?.status as Receipt['status']),
  )
  return receiptOf(client, messageId)!
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface AttachAnswer {
  status: number
  body: { message?: AgentMessage; error?: { code: string; message: string; reason?: string } }
}

/** POSTs a file to a conversation's attachments as Ana (multipart, a fresh clientMessageId). */
export async function attach(
  world: World,
  conversationId: string,
  file: { bytes: Uint8Array; type: string; name: string },
  fields: Record<string, string> = {},
): Promise<AttachAnswer> {
  const form = new FormData()
  form.set(
    'file',
    new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }),
    file.name,
  )
  form.set('clientMessageId', fields.clientMessageId ?? crypto.randomUUID())
  for (const [name, value] of Object.entries(fields)) form.set(name, value)
  const response = await fetch(
    `${world.server.url}/api/conversations/${conversationId}/attachments`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${world.ana.token}` },
      body: form,
    },
  )
  return { status: response.status, body: (await response.json()) as never }
}
