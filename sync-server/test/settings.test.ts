/**
 * WhatsApp channel settings saved by admins: admin-only, write-only secrets, sealed at rest,
 * effective at once (demo → real channel, new app secret and verify token), kept over the
 * environment across restarts, and ignored (falling back to the environment) when the key is lost.
 */
import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { appendMessage } from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliverWebhook } from '../src/whatsapp/simulator/deliver.js'
import { startFakeMeta, textMessage, type FakeMeta } from './helpers/fake-meta.js'
import { startTestServer, type TestServer } from './helpers/server.js'
import { addAgent, api, type Member } from './helpers/team.js'
import {
  customerNumber,
  openConversation,
  openDoc,
  receiptIn,
  reply,
  type World,
} from './helpers/whatsapp-outbound.js'

interface SecretView {
  set: boolean
  last4: string | null
}
interface WhatsAppView {
  accountName: string
  displayNumber: string
  phoneNumberId: string
  businessAccountId: string
  graphApiVersion: string
  accessToken: SecretView
  appSecret: SecretView
  verifyToken: string
  policiesAccepted: boolean
  policiesAcceptedAt: string | null
  source: 'settings' | 'environment' | 'simulator' | 'none'
  demo: boolean
  callbackUrl: string
}
interface SettingsView {
  whatsapp: WhatsAppView
  readReceipts: boolean
}
interface TestAnswer {
  ok: boolean
  error?: string
  displayPhoneNumber?: string
  verifiedName?: string
}

async function raw(
  server: TestServer,
  token: string,
  method: string,
  path: string,
  json?: unknown,
) {
  const response = await server.request(path, { method, token, json })
  return { status: response.status, text: await response.text() }
}

async function healthDemo(server: TestServer): Promise<boolean> {
  const response = await server.request('/healthz')
  return ((await response.json()) as { demo: boolean }).demo
}

function webhookWith(server: TestServer, meta: FakeMeta, appSecret: string) {
  const waId = customerNumber()
  const payload = meta.messages({ waId, name: 'Maria' }, textMessage(waId, 'Oi'))
  return deliverWebhook(`${server.url}/webhooks/whatsapp`, payload, appSecret)
}

describe('in demo mode', () => {
  let meta: FakeMeta
  let server: TestServer
  let admin: string
  let agent: Member
  const saveBody = (overrides: Record<string, unknown> = {}) => ({
    accountName: 'Loja Exemplo',
    displayNumber: '11 4004-0000',
    phoneNumberId: meta.phoneNumberId,
    businessAccountId: meta.business.wabaId,
    graphApiVersion: 'v26.0',
    verifyToken: meta.verifyToken,
    accessToken: meta.accessToken,
    appSecret: meta.appSecret,
    policiesAccepted: true,
    ...overrides,
  })

  beforeAll(async () => {
    meta = await startFakeMeta()
    // No credentials: the simulator plays Meta; WHATSAPP_API_BASE says where saved settings go.
    server = await startTestServer({ env: { WHATSAPP_API_BASE: meta.apiBase } })
    admin = await server.loginAdmin()
    agent = await addAgent(server, admin, 'Bruno Lima')
  })
  afterAll(async () => {
    await server?.stop()
    await meta?.close()
  })

  it('agents get 403 on every settings and audit route; read receipts stay theirs to read', async () => {
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/api/settings'],
      ['PUT', '/api/settings/whatsapp', saveBody()],
      ['POST', '/api/settings/whatsapp/test', {}],
      ['GET', '/api/audit'],
    ]
    for (const [method, path, body] of calls) {
      const answer = await api<{ error: { code: string } }>(server, agent.token, method, path, body)
      expect(answer, `${method} ${path}`).toMatchObject({
        status: 403,
        body: { error: { code: 'forbidden' } },
      })
    }
    expect(await healthDemo(server)).toBe(true)
    const readReceipts = await api(server, agent.token, 'GET', '/api/settings/read-receipts')
    expect(readReceipts).toEqual({ status: 200, body: { enabled: true } })
    const put = await api(server, admin, 'PUT', '/api/settings/read-receipts', { enabled: false })
    expect(put).toEqual({ status: 200, body: { enabled: false } })
    const agentPut = await api(server, agent.token, 'PUT', '/api/settings/read-receipts', {
      enabled: true,
    })
    expect(agentPut.status).toBe(403)
  })

  it('before a save, GET shows the simulator, no secrets, and the callback URL as reached', async () => {
    const { status, body } = await api<SettingsView>(server, admin, 'GET', '/api/settings')
    expect(status).toBe(200)
    expect(body.readReceipts).toBe(false)
    expect(body.whatsapp).toMatchObject({
      source: 'simulator',
      demo: true,
      accessToken: { set: false, last4: null },
      appSecret: { set: false, last4: null },
      policiesAccepted: false,
      policiesAcceptedAt: null,
      graphApiVersion: 'v25.0',
      callbackUrl: `${server.url}/webhooks/whatsapp`,
    })
    const proxied = await server.request('/api/settings', {
      token: admin,
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'atende.example.com' },
    })
    expect(((await proxied.json()) as SettingsView).whatsapp.callbackUrl).toBe(
      'https://atende.example.com/webhooks/whatsapp',
    )
  })

  it('a save needs the policies checkbox', async () => {
    for (const policiesAccepted of [undefined, false]) {
      const answer = await api<{ error: { code: string } }>(
        server,
        admin,
        'PUT',
        '/api/settings/whatsapp',
        saveBody({ policiesAccepted }),
      )
      expect(answer.status).toBe(400)
      expect(answer.body.error.code).toBe('policies_not_accepted')
    }
    expect(await healthDemo(server)).toBe(true)
  })

  it('a save checks its fields, and wants both secrets while none is saved', async () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ displayNumber: '11 4004-OOOO' }, 'displayNumber'],
      [{ displayNumber: '4004' }, 'displayNumber'],
      [{ phoneNumberId: 'abc' }, 'phoneNumberId'],
      [{ businessAccountId: '' }, 'businessAccountId'],
      [{ graphApiVersion: 'v25' }, 'graphApiVersion'],
      [{ verifyToken: '' }, 'verifyToken'],
      [{ accountName: '' }, 'accountName'],
      [{ accessToken: undefined }, 'accessToken'],
      [{ appSecret: '' }, 'appSecret'],
    ]
    for (const [overrides, field] of bad) {
      const answer = await api<{ error: { code: string; message: string } }>(
        server,
        admin,
        'PUT',
        '/api/settings/whatsapp',
        saveBody(overrides),
      )
      expect(answer.status, field).toBe(400)
      expect(answer.body.error.code).toBe('invalid_body')
      expect(answer.body.error.message).toMatch(new RegExp(`^${field}:`))
    }
  })

  it('Test connection answers ok, or a readable reason for a wrong token or id', async () => {
    const test = (body: unknown) =>
      api<TestAnswer>(server, admin, 'POST', '/api/settings/whatsapp/test', body)
    const good = await test(saveBody())
    expect(good).toEqual({
      status: 200,
      body: {
        ok: true,
        displayPhoneNumber: meta.business.displayPhoneNumber,
        verifiedName: 'Atende Demo',
      },
    })
    const wrongToken = await test(saveBody({ accessToken: 'EAAG-wrong-token' }))
    expect(wrongToken.status).toBe(200)
    expect(wrongToken.body).toEqual({ ok: false, error: expect.stringMatching(/access token/) })
    const wrongId = await test(saveBody({ phoneNumberId: '999999999' }))
    expect(wrongId.body).toEqual({ ok: false, error: expect.stringMatching(/phone number id/) })
    // Nothing given: the channel in force (the simulator) answers.
    expect((await test(undefined)).body).toMatchObject({ ok: true })
  })

  it('a save leaves demo mode at once and never shows the secrets back', async () => {
    const saved = await raw(server, admin, 'PUT', '/api/settings/whatsapp', saveBody())
    expect(saved.status).toBe(200)
    const got = await raw(server, admin, 'GET', '/api/settings')
    for (const text of [saved.text, got.text]) {
      expect(text).not.toContain(meta.accessToken)
      expect(text).not.toContain(meta.appSecret)
    }
    const view = (JSON.parse(got.text) as SettingsView).whatsapp
    expect(JSON.parse(saved.text)).toEqual({ whatsapp: view })
    expect(view).toMatchObject({
      accountName: 'Loja Exemplo',
      displayNumber: '1140040000',
      phoneNumberId: meta.phoneNumberId,
      businessAccountId: meta.business.wabaId,
      graphApiVersion: 'v26.0',
      accessToken: { set: true, last4: meta.accessToken.slice(-4) },
      appSecret: { set: true, last4: meta.appSecret.slice(-4) },
      verifyToken: meta.verifyToken,
      policiesAccepted: true,
      source: 'settings',
      demo: false,
    })
    expect(Date.parse(view.policiesAcceptedAt!)).toBeGreaterThan(Date.now() - 60_000)
    expect(await healthDemo(server)).toBe(false)
  })

  it('the new app secret and verify token are in force, and replies go to the saved number', async () => {
    expect((await webhookWith(server, meta, meta.appSecret)).status).toBe(200)
    expect((await webhookWith(server, meta, randomBytes(16).toString('hex'))).status).toBe(401)
    expect((await meta.verify(server.url)).status).toBe(200)
    expect((await meta.verify(server.url, { token: 'not-it' })).status).toBe(403)

    const world = { meta, server, admin, ana: agent, clients: [] } as unknown as World
    try {
      const { id, waId } = await openConversation(world)
      const client = await openDoc(world, id)
      const message = reply(agent, 'Olá! Agora pelo número configurado.')
      appendMessage(client.doc, message, 'local')
      await receiptIn(client, message.id, ['sent'])
      const send = meta.sends.find((s) => s.to === waId)
      expect(send?.body.text).toEqual({ body: 'Olá! Agora pelo número configurado.' })
      const call = meta.calls.find((c) => c.kind === 'send' && c.status === 200)
      expect(call?.path).toBe(`/v26.0/${meta.phoneNumberId}/messages`)
    } finally {
      for (const client of world.clients) client.destroy()
    }
  })

  it('a later save without secrets keeps the saved ones', async () => {
    const { status, body } = await api<SettingsView>(
      server,
      admin,
      'PUT',
      '/api/settings/whatsapp',
      saveBody({ accountName: 'Loja Nova', accessToken: '', appSecret: undefined }),
    )
    expect(status).toBe(200)
    expect(body.whatsapp).toMatchObject({
      accountName: 'Loja Nova',
      accessToken: { set: true, last4: meta.accessToken.slice(-4) },
      appSecret: { set: true, last4: meta.appSecret.slice(-4) },
    })
    expect((await webhookWith(server, meta, meta.appSecret)).status).toBe(200)
    const test = await api<TestAnswer>(server, admin, 'POST', '/api/settings/whatsapp/test')
    expect(test.body).toMatchObject({
      ok: true,
      displayPhoneNumber: meta.business.displayPhoneNumber,
    })
  })

  it('the database files never hold the access token or the app secret in plain text', () => {
    const files = ['atende.db', 'atende.db-wal']
      .map((name) => path.join(server.dataDir, name))
      .filter((file) => fs.existsSync(file))
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) {
      const bytes = fs.readFileSync(file)
      expect(bytes.includes(Buffer.from(meta.accessToken)), file).toBe(false)
      expect(bytes.includes(Buffer.from(meta.appSecret)), file).toBe(false)
    }
    const keyFile = path.join(server.dataDir, 'secret.key')
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600)
  })

  it('the audit log names what a save changed, secrets by name only', async () => {
    const { status, text } = await raw(server, admin, 'GET', '/api/audit?limit=200')
    expect(status).toBe(200)
    expect(text).not.toContain(meta.accessToken)
    expect(text).not.toContain(meta.appSecret)
    const entries = (JSON.parse(text) as { entries: Array<Record<string, unknown>> }).entries
    const saves = entries.filter((entry) => entry.action === 'settings.whatsapp')
    expect(saves.map((entry) => entry.details)).toEqual([
      { changed: ['accountName'] },
      {
        changed: [
          'accountName',
          'displayNumber',
          'phoneNumberId',
          'businessAccountId',
          'graphApiVersion',
          'verifyToken',
          'accessToken',
          'appSecret',
        ],
        policiesAccepted: true,
      },
    ])
    expect(entries.find((entry) => entry.action === 'settings.read_receipts')).toMatchObject({
      target: 'read_receipts',
      details: { enabled: false },
    })
  })
})

describe('with credentials in the environment', () => {
  let meta: FakeMeta
  let server: TestServer
  let admin: string
  const newSecret = 'new-app-secret-' + randomBytes(12).toString('hex')
  const newVerifyToken = 'new-verify-' + randomBytes(8).toString('hex')

  beforeAll(async () => {
    meta = await startFakeMeta()
    server = await startTestServer({ env: meta.env })
    admin = await server.loginAdmin()
  })
  afterAll(async () => {
    await server?.stop()
    await meta?.close()
  })

  it('GET shows the environment’s channel, its secrets as set + last 4 only', async () => {
    const { text } = await raw(server, admin, 'GET', '/api/settings')
    expect(text).not.toContain(meta.accessToken)
    expect(text).not.toContain(meta.appSecret)
    expect((JSON.parse(text) as SettingsView).whatsapp).toMatchObject({
      source: 'environment',
      demo: false,
      phoneNumberId: meta.phoneNumberId,
      verifyToken: meta.verifyToken,
      graphApiVersion: 'v25.0',
      accessToken: { set: true, last4: meta.accessToken.slice(-4) },
      appSecret: { set: true, last4: meta.appSecret.slice(-4) },
      policiesAccepted: false,
    })
  })

  it('saved settings replace the environment’s at once, and still after a restart', async () => {
    const body = {
      accountName: 'Loja Exemplo',
      displayNumber: '+55 11 4004-0000',
      phoneNumberId: meta.phoneNumberId,
      businessAccountId: meta.business.wabaId,
      verifyToken: newVerifyToken,
      appSecret: newSecret,
      policiesAccepted: true,
    }
    // The environment's token is not copied: the first save gives every secret.
    const missing = await api(server, admin, 'PUT', '/api/settings/whatsapp', body)
    expect(missing.status).toBe(400)
    const saved = await api<SettingsView>(server, admin, 'PUT', '/api/settings/whatsapp', {
      ...body,
      accessToken: meta.accessToken,
    })
    expect(saved.status).toBe(200)
    expect(saved.body.whatsapp).toMatchObject({ source: 'settings', graphApiVersion: 'v25.0' })

    const inForce = async () => {
      expect((await webhookWith(server, meta, newSecret)).status).toBe(200)
      expect((await webhookWith(server, meta, meta.appSecret)).status).toBe(401)
      expect((await meta.verify(server.url, { token: newVerifyToken })).status).toBe(200)
      expect((await meta.verify(server.url)).status).toBe(403)
    }
    await inForce()
    server = await server.restart()
    admin = await server.loginAdmin()
    await inForce()
    const { body: after } = await api<SettingsView>(server, admin, 'GET', '/api/settings')
    expect(after.whatsapp).toMatchObject({ source: 'settings', accountName: 'Loja Exemplo' })
  })

  it('with the secret key lost, saved settings are ignored (with a warning) and the environment rules', async () => {
    fs.rmSync(path.join(server.dataDir, 'secret.key'))
    server = await server.restart()
    admin = await server.loginAdmin()
    expect((await webhookWith(server, meta, meta.appSecret)).status).toBe(200)
    expect((await webhookWith(server, meta, newSecret)).status).toBe(401)
    const { body } = await api<SettingsView>(server, admin, 'GET', '/api/settings')
    expect(body.whatsapp).toMatchObject({ source: 'environment', policiesAccepted: false })
    const { stdout } = server.output()
    expect(stdout).toMatch(/"level":"warn".*saved WhatsApp settings ignored/)
    expect(stdout).not.toContain(newSecret)
    expect(stdout).not.toContain(meta.accessToken)
  })
})

describe('the one-command demo (published demo sign-ins)', () => {
  let meta: FakeMeta
  let server: TestServer

  beforeAll(async () => {
    meta = await startFakeMeta()
    server = await startTestServer({
      env: { ADMIN_EMAIL: undefined, ADMIN_PASSWORD: undefined, WHATSAPP_API_BASE: meta.apiBase },
    })
  })
  afterAll(async () => {
    await server?.stop()
    await meta?.close()
  })

  it('refuses to connect a real number while a demo account keeps its published password', async () => {
    const admin = await server.loginAdmin()
    const body = {
      accountName: 'Loja Exemplo',
      displayNumber: '11 4004-0000',
      phoneNumberId: meta.phoneNumberId,
      businessAccountId: meta.business.wabaId,
      verifyToken: meta.verifyToken,
      accessToken: meta.accessToken,
      appSecret: meta.appSecret,
      policiesAccepted: true,
    }
    const refused = await api<{ error: { code: string; message: string } }>(
      server,
      admin,
      'PUT',
      '/api/settings/whatsapp',
      body,
    )
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('demo_passwords_in_use')
    expect(refused.body.error.message).toContain('admin@demo.atende')
    expect(refused.body.error.message).toContain('agent1@demo.atende')
    expect(await healthDemo(server)).toBe(true)

    // New passwords for the admin and one agent, the other agent deactivated: now it connects.
    const { body: team } = await api<{ agents: { id: string; email: string }[] }>(
      server,
      admin,
      'GET',
      '/api/agents',
    )
    const idOf = (email: string) => team.agents.find((agent) => agent.email === email)!.id
    const changes: Array<[string, Record<string, unknown>]> = [
      ['admin@demo.atende', { password: 'a-new-admin-password' }],
      ['agent1@demo.atende', { password: 'a-new-agent-password' }],
      ['agent2@demo.atende', { active: false }],
    ]
    for (const [email, change] of changes) {
      const changed = await api(server, admin, 'PATCH', `/api/agents/${idOf(email)}`, change)
      expect(changed.status, email).toBe(200)
    }
    const saved = await api(server, admin, 'PUT', '/api/settings/whatsapp', body)
    expect(saved.status).toBe(200)
    expect(await healthDemo(server)).toBe(false)
  })
})
