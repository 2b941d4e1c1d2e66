/**
 * The audit log of admin actions: agents (create, role change, deactivation, password reset,
 * delete), settings, shifts, templates and canned responses; admins only; paged newest first; never
 * a password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './helpers/server.js'
import { addAgent, api, type Member } from './helpers/team.js'

interface Entry {
  id: number
  at: string
  actor: { id: string; name: string }
  action: string
  target: string | null
  details: Record<string, unknown>
}
interface Page {
  entries: Entry[]
  next: string | null
}

let server: TestServer
let admin: string
let adminId: string
let agent: Member
const passwords = ['first-password-123', 'second-password-456']

beforeAll(async () => {
  server = await startTestServer()
  admin = await server.loginAdmin()
  adminId = (await api<{ user: { id: string } }>(server, admin, 'GET', '/api/me')).body.user.id
  agent = await addAgent(server, admin, 'Bruno Lima')
})
afterAll(async () => {
  await server?.stop()
})

async function entries(): Promise<Entry[]> {
  const { status, body } = await api<Page>(server, admin, 'GET', '/api/audit?limit=200')
  expect(status).toBe(200)
  return body.entries
}

describe('the audit log', () => {
  it('is for admins only', async () => {
    expect((await api(server, agent.token, 'GET', '/api/audit')).status).toBe(403)
  })

  it('records agents created, their role changed, deactivated, their password reset, removed', async () => {
    const created = await api<{ agent: { id: string } }>(server, admin, 'POST', '/api/agents', {
      name: 'Carla Mendes',
      email: 'carla@test.local',
      password: passwords[0],
      role: 'agent',
    })
    expect(created.status).toBe(201)
    const id = created.body.agent.id
    for (const change of [
      { role: 'admin' },
      { active: false },
      { password: passwords[1] },
      { name: 'Carla M.', active: true },
    ]) {
      expect((await api(server, admin, 'PATCH', `/api/agents/${id}`, change)).status).toBe(200)
    }
    expect((await api(server, admin, 'DELETE', `/api/agents/${id}`)).status).toBe(200)

    const mine = (await entries()).filter((entry) => entry.target === id).reverse()
    expect(mine.map(({ action, details }) => ({ action, details }))).toEqual([
      {
        action: 'agent.create',
        details: { name: 'Carla Mendes', email: 'carla@test.local', role: 'agent' },
      },
      { action: 'agent.update', details: { fields: ['role'], role: 'admin' } },
      { action: 'agent.update', details: { fields: ['active'], active: false } },
      { action: 'agent.update', details: { fields: [], passwordReset: true } },
      { action: 'agent.update', details: { fields: ['name', 'active'], active: true } },
      { action: 'agent.delete', details: { name: 'Carla M.', email: 'carla@test.local' } },
    ])
    for (const entry of mine) {
      expect(entry.actor).toEqual({ id: adminId, name: expect.any(String) })
      expect(Date.parse(entry.at)).toBeGreaterThan(Date.now() - 60_000)
    }
    const { text } = await server
      .request('/api/audit?limit=200', { token: admin })
      .then(async (r) => ({ text: await r.text() }))
    for (const password of passwords) expect(text).not.toContain(password)
  })

  it('records settings, shifts, templates, and canned responses changed by an admin', async () => {
    await api(server, admin, 'PUT', '/api/settings/read-receipts', { enabled: false })
    const shifts = { morning: '07:00', afternoon: '13:00', night: '19:00' }
    expect((await api(server, admin, 'PUT', '/api/reports/shifts', { shifts })).status).toBe(200)
    const template = await api<{ template: { id: string } }>(
      server,
      admin,
      'POST',
      '/api/templates',
      { name: 'order_update', language: 'pt_BR', category: 'utility', body: 'Olá {{1}}' },
    )
    expect(template.status).toBe(201)
    const templateId = template.body.template.id
    await api(server, admin, 'PATCH', `/api/templates/${templateId}`, { body: 'Oi {{1}}' })
    await api(server, admin, 'DELETE', `/api/templates/${templateId}`)
    const byAdmin = await api<{ cannedResponse: { id: string } }>(
      server,
      admin,
      'POST',
      '/api/canned-responses',
      { title: 'Saudação', text: 'Olá! Como posso ajudar?', kind: 'public' },
    )
    const byAgent = await api<{ cannedResponse: { id: string } }>(
      server,
      agent.token,
      'POST',
      '/api/canned-responses',
      { title: 'Minha', text: 'Texto do agente', kind: 'internal' },
    )
    const cannedId = byAdmin.body.cannedResponse.id
    await api(server, admin, 'PATCH', `/api/canned-responses/${cannedId}`, { title: 'Oi' })
    // An admin changing an agent's canned response is recorded too.
    await api(server, admin, 'DELETE', `/api/canned-responses/${byAgent.body.cannedResponse.id}`)

    const all = await entries()
    const find = (action: string) => all.filter((entry) => entry.action === action)
    expect(find('settings.read_receipts')[0]?.details).toEqual({ enabled: false })
    expect(find('settings.shifts')[0]?.details).toEqual({ shifts })
    expect(find('template.create')[0]).toMatchObject({
      target: templateId,
      details: { name: 'order_update', language: 'pt_BR', category: 'UTILITY' },
    })
    expect(find('template.update')[0]?.details).toMatchObject({ fields: ['body'] })
    expect(find('template.delete')[0]).toMatchObject({ target: templateId })
    expect(find('canned_response.create').map((entry) => entry.target)).toEqual([cannedId])
    expect(find('canned_response.update')[0]).toMatchObject({
      target: cannedId,
      details: { title: 'Oi', kind: 'public', fields: ['title'] },
    })
    expect(find('canned_response.delete')[0]).toMatchObject({
      target: byAgent.body.cannedResponse.id,
    })
    // Texts are not audit material.
    expect(JSON.stringify(all)).not.toContain('Olá! Como posso ajudar?')
  })

  it('records a conversation deleted, by id only', async () => {
    const opened = await api<{ conversation: { id: string } }>(
      server,
      admin,
      'POST',
      '/api/conversations',
      { phone: '+5511912345678', name: 'Maria Silva' },
    )
    expect(opened.status).toBe(201)
    const id = opened.body.conversation.id
    expect((await api(server, admin, 'DELETE', `/api/conversations/${id}`)).status).toBe(200)
    const entry = (await entries()).find((e) => e.action === 'conversation.delete')
    expect(entry).toMatchObject({ actor: { id: adminId }, target: id, details: { ticketId: null } })
    expect(JSON.stringify(entry)).not.toMatch(/Maria|5511912345678/)
  })

  it('pages newest first with `next`, and checks its query', async () => {
    const first = await api<Page>(server, admin, 'GET', '/api/audit?limit=2')
    expect(first.body.entries).toHaveLength(2)
    expect(first.body.entries[0]!.id).toBeGreaterThan(first.body.entries[1]!.id)
    expect(first.body.next).toBe(String(first.body.entries[1]!.id))
    const second = await api<Page>(
      server,
      admin,
      'GET',
      `/api/audit?limit=2&before=${first.body.next}`,
    )
    expect(second.body.entries[0]!.id).toBeLessThan(first.body.entries[1]!.id)
    const all = await entries()
    const last = await api<Page>(
      server,
      admin,
      'GET',
      `/api/audit?before=${all[all.length - 1]!.id}`,
    )
    expect(last.body).toEqual({ entries: [], next: null })
    for (const query of ['limit=0', 'limit=201', 'limit=abc', 'before=-1']) {
      const bad = await api<{ error: { code: string } }>(
        server,
        admin,
        'GET',
        `/api/audit?${query}`,
      )
      expect(bad.status, query).toBe(400)
      expect(bad.body.error.code).toBe('invalid_query')
    }
  })
})
