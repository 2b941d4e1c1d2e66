/**
 * Shared set-up of the inbound integration tests: a fake Meta, a server pointed at it, a signed-in
 * agent's y-websocket clients, and a read-only look into the server's SQLite.
 */
import Database from 'better-sqlite3'
import path from 'node:path'
import {
  conversationDocName,
  readInbox,
  readMessages,
  type InboxSummary,
  type Message,
} from '@atende/shared'
import type * as Y from 'yjs'
import { connect, waitForDoc, type SyncClient } from './helpers/clients.js'
import { startFakeMeta, type FakeMeta } from './helpers/fake-meta.js'
import { startTestServer, type TestServer, type TestServerOptions } from './helpers/server.js'

export interface InboundWorld {
  meta: FakeMeta
  server: TestServer
  token: string
  /** The synced y-websocket client on `name`, one per name (closed by `close()`). */
  open(name: string): Promise<SyncClient>
  /**
   * The inbox card of a customer's number (`+<wa_id>`), once it satisfies `predicate` (default:
   * it counts a message; a card appears empty first, when its conversation opens).
   */
  card(
    inbox: Y.Doc,
    phone: string,
    predicate?: (card: InboxSummary) => boolean,
  ): Promise<InboxSummary>
  /** The conversation doc's messages once `predicate` holds. */
  messages(conversationId: string, predicate: (messages: Message[]) => boolean): Promise<Message[]>
  /** A query on the server's database (read-only, beside the running server). */
  sql<T>(query: string, ...params: unknown[]): T[]
  close(): Promise<void>
}

export async function startInboundWorld(
  options: TestServerOptions = {},
  meta?: FakeMeta,
): Promise<InboundWorld> {
  const fakeMeta = meta ?? (await startFakeMeta())
  const server = await startTestServer({ ...options, env: { ...fakeMeta.env, ...options.env } })
  const token = await server.loginAdmin()
  const clients = new Map<string, SyncClient>()
  let db: Database.Database | null = null

  const world: InboundWorld = {
    meta: fakeMeta,
    server,
    token,
    async open(name) {
      let client = clients.get(name)
      if (!client) {
        client = connect(server.wsUrl, name, token)
        clients.set(name, client)
      }
      await client.synced
      return client
    },
    async card(inbox, phone, predicate = (card) => card.unread > 0) {
      const find = () => readInbox(inbox).find((card) => card.phone === phone && predicate(card))
      await waitForDoc(inbox, () => find() !== undefined)
      return find()!
    },
    async messages(conversationId, predicate) {
      const client = await world.open(conversationDocName(conversationId))
      await waitForDoc(client.doc, (doc) => predicate(readMessages(doc)))
      return readMessages(client.doc)
    },
    sql<T>(query: string, ...params: unknown[]) {
      db ??= new Database(path.join(server.dataDir, 'atende.db'), { readonly: true })
      return db.prepare(query).all(...params) as T[]
    },
    async close() {
      for (const client of clients.values()) client.destroy()
      db?.close()
      await server.stop()
      if (!meta) await fakeMeta.close()
    },
  }
  return world
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() - started > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
