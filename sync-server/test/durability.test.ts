import {
  appendMessage,
  conversationDocName,
  readMessages,
  type AgentId,
  type MessageId,
} from '@atende/shared'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { connect, waitForDoc, type SyncClient } from './helpers/clients.js'
import { startTestServer, type TestServer } from './helpers/server.js'
import { addAgent, startConversation, type Member } from './helpers/team.js'

const dataDirs: string[] = []
const servers: TestServer[] = []
const clients: SyncClient[] = []

async function boot(dataDir: string): Promise<TestServer> {
  const server = await startTestServer({ dataDir, keepData: true })
  servers.push(server)
  return server
}

function open(server: TestServer, name: string, token: string): SyncClient {
  const client = connect(server.wsUrl, name, token)
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

afterAll(async () => {
  for (const client of clients) client.destroy()
  for (const server of servers) await server.stop().catch(() => {})
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atende-durability-'))
  dataDirs.push(dir)
  return dir
}

describe('durability', () => {
  it('a restart serves the same state, sessions included', async () => {
    const dataDir = tempDir()
    const first = await boot(dataDir)
    const ana = await addAgent(first, await first.loginAdmin(), 'Ana Souza')
    const conversationId = await startConversation(first, ana.token)
    const name = conversationDocName(conversationId)
    const writer = open(first, name, ana.token)
    await writer.synced
    for (let i = 0; i < 50; i++) appendMessage(writer.doc, note(ana, `note ${i}`), 'local')
    const witness = open(first, name, ana.token)
    await waitForDoc(witness.doc, (d) => readMessages(d).length === 50)
    const expected = readMessages(witness.doc).map((m) => m.id)
    writer.destroy()
    witness.destroy()
    await first.stop()

    const second = await boot(dataDir)
    const reader = open(second, name, ana.token)
    await reader.synced
    expect(readMessages(reader.doc).map((m) => m.id)).toEqual(expected)
  })

  it('kill -9 in the middle of a stream of writes loses nothing another agent has seen', async () => {
    const dataDir = tempDir()
    const first = await boot(dataDir)
    const admin = await first.loginAdmin()
    const ana = await addAgent(first, admin, 'Ana Souza')
    const bob = await addAgent(first, admin, 'Bob Lima')
    const conversationId = await startConversation(first, ana.token)
    const name = conversationDocName(conversationId)
    const writer = open(first, name, ana.token)
    const witness = open(first, name, bob.token)
    await Promise.all([writer.synced, witness.synced])

    // Ana writes one note per frame without pause; Bob sees them only once they are on disk.
    let written = 0
    const stream = setInterval(() => {
      for (let i = 0; i < 20; i++)
        appendMessage(writer.doc, note(ana, `note ${written++}`), 'local')
    }, 1)
    await waitForDoc(witness.doc, (d) => readMessages(d).length >= 300)
    await first.kill9()
    clearInterval(stream)
    const seen = readMessages(witness.doc).map((m) => m.id)
    writer.provider.disconnect()
    witness.provider.disconnect()

    const second = await boot(dataDir)
    const reader = open(second, name, bob.token)
    await reader.synced
    const after = new Set(readMessages(reader.doc).map((m) => m.id))
    expect(seen.length).toBeGreaterThanOrEqual(300)
    expect(seen.filter((id) => !after.has(id))).toEqual([])
  })
})
