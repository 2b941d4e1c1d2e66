import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawSocket } from './helpers/clients.js'
import { startTestServer, TEST_ADMIN, type RequestInit, type TestServer } from './helpers/server.js'

interface AgentView {
  id: string
  name: string
  email: string
  role: 'agent' | 'admin'
  active: boolean
}

let server: TestServer
let admin: string
// Every response body this file saw, to check none of them leaks a password hash.
const bodies: string[] = []

beforeAll(async () => {
  server = await startTestServer()
  admin = await server.loginAdmin()
})
afterAll(async () => {
  await server?.stop()
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const response = await server.request(path, init)
  const text = await response.text()
  bodies.push(text)
  return { status: response.status, body: text ? JSON.parse(text) : null }
}

let counter = 0
/** Creates an agent through the API and signs them in. */
async function hire(role: 'agent' | 'admin' = 'agent') {
  counter += 1
  const password = `password-${counter}-long`
  const email = `agent${counter}@test.local`
  const created = await call('/api/agents', {
    method: 'POST',
    token: admin,
    json: { name: `Agent ${counter}`, email, password, role },
  })
  expect(created.status).toBe(201)
  const agent = created.body.agent as AgentView
  return { ...agent, password, token: await server.login(email, password) }
}

describe('listing agents', () => {
  it('is open to every signed-in user and shows only public fields', async () => {
    const agent = await hire()
    for (const token of [admin, agent.token]) {
      const { status, body } = await call('/api/agents', { token })
      expect(status).toBe(200)
      const agents = body.agents as AgentView[]
      expect(agents.map((a) => a.email)).toEqual(
        expect.arrayContaining([TEST_ADMIN.email, agent.email]),
      )
      for (const listed of agents)
        expect(Object.keys(listed).sort()).toEqual(['active', 'email', 'id', 'name', 'role'])
    }
  })
})

describe('creating agents', () => {
  it('lets an admin add an agent who can then sign in', async () => {
    const { status, body } = await call('/api/agents', {
      method: 'POST',
      token: admin,
      json: {
        name: '  Maria Silva ',
        email: 'Maria@Test.local',
        password: 'maria-password',
        role: 'agent',
      },
    })
    expect(status).toBe(201)
    expect(body.agent).toEqual({
      id: expect.any(String),
      name: 'Maria Silva',
      email: 'maria@test.local',
      role: 'agent',
      active: true,
    })
    expect(await server.login('maria@test.local', 'maria-password')).toBeTruthy()
  })

  it('refuses an email already in use, whatever its letter case', async () => {
    const agent = await hire()
    const { status, body } = await call('/api/agents', {
      method: 'POST',
      token: admin,
      json: {
        name: 'Copy',
        email: agent.email.toUpperCase(),
        password: 'another-password',
        role: 'agent',
      },
    })
    expect(status).toBe(409)
    expect(body.error.code).toBe('email_taken')
  })

  it.each([
    [{ name: 'X', email: 'x@test.local', password: 'short', role: 'agent' }, 'password'],
    [{ name: 'X', email: 'not-an-email', password: 'long-enough', role: 'agent' }, 'email'],
    [{ name: 'X', email: 'x@test.local', password: 'long-enough', role: 'owner' }, 'role'],
    [{ name: '', email: 'x@test.local', password: 'long-enough', role: 'agent' }, 'name'],
    [{ email: 'x@test.local', password: 'long-enough', role: 'agent' }, 'name'],
  ])('answers 400 naming the bad field for %j', async (json, field) => {
    const { status, body } = await call('/api/agents', { method: 'POST', token: admin, json })
    expect(status).toBe(400)
    expect(body.error).toMatchObject({
      code: 'invalid_body',
      message: expect.stringContaining(field),
    })
  })
})

describe('agents who are not admins', () => {
  it('get 403 for every change to the team', async () => {
    const agent = await hire()
    const other = await hire()
    const attempts: [string, string, unknown][] = [
      [
        'POST',
        '/api/agents',
        { name: 'X', email: 'new@test.local', password: 'long-enough', role: 'admin' },
      ],
      ['PATCH', `/api/agents/${other.id}`, { active: false }],
      ['PATCH', `/api/agents/${agent.id}`, { role: 'admin' }],
      ['DELETE', `/api/agents/${other.id}`, undefined],
    ]
    for (const [method, path, json] of attempts) {
      const { status, body } = await call(path, { method, token: agent.token, json })
      expect(status).toBe(403)
      expect(body.error.code).toBe('forbidden')
    }
    const listed = (await call('/api/agents', { token: admin })).body.agents as AgentView[]
    expect(listed.find((a) => a.id === other.id)?.active).toBe(true)
    expect(listed.find((a) => a.id === agent.id)?.role).toBe('agent')
  })
})

describe('changing agents', () => {
  it('updates name, email and role', async () => {
    const agent = await hire()
    const { status, body } = await call(`/api/agents/${agent.id}`, {
      method: 'PATCH',
      token: admin,
      json: { name: 'Renamed', email: 'renamed@test.local', role: 'admin' },
    })
    expect(status).toBe(200)
    expect(body.agent).toMatchObject({
      name: 'Renamed',
      email: 'renamed@test.local',
      role: 'admin',
    })
    // Now an admin, once signed in again.
    const token = await server.login('renamed@test.local', agent.password)
    expect((await call('/api/agents', { method: 'POST', token, json: {} })).status).toBe(400)
  })

  it('a new name or email keeps the agent signed in', async () => {
    const agent = await hire()
    await call(`/api/agents/${agent.id}`, {
      method: 'PATCH',
      token: admin,
      json: { name: 'Only Renamed' },
    })
    expect((await call('/api/me', { token: agent.token })).status).toBe(200)
  })

  it('a new role ends every session of the agent, cookie or token, and closes their sockets', async () => {
    const agent = await hire()
    const login = await server.request('/api/auth/login', {
      method: 'POST',
      json: { email: agent.email, password: agent.password },
    })
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!
    expect(cookie).toMatch(/^atende_session=/)
    const withCookie = () => server.request('/api/me', { headers: { cookie } })
    expect((await withCookie()).status).toBe(200)
    const socket = rawSocket(`${server.wsUrl}/sync/inbox?token=${agent.token}`)
    await socket.opened

    const { status, body } = await call(`/api/agents/${agent.id}`, {
      method: 'PATCH',
      token: admin,
      json: { role: 'admin' },
    })
    expect(status).toBe(200)
    expect(body.agent.role).toBe('admin')
    expect((await socket.closed).code).toBe(4401)
    expect((await withCookie()).status).toBe(401)
    expect((await call('/api/me', { token: agent.token })).status).toBe(401)
    // Signing in again works, with the new role.
    const again = await server.login(agent.email, agent.password)
    const me = await call('/api/me', { token: again })
    expect(me.body.user.role).toBe('admin')
  })

  it('a new password replaces the old one and signs the agent out elsewhere', async () => {
    const agent = await hire()
    const { status } = await call(`/api/agents/${agent.id}`, {
      method: 'PATCH',
      token: admin,
      json: { password: 'a-brand-new-password' },
    })
    expect(status).toBe(200)
    expect((await call('/api/me', { token: agent.token })).status).toBe(401)
    expect(
      (
        await call('/api/auth/login', {
          method: 'POST',
          json: { email: agent.email, password: agent.password },
        })
      ).status,
    ).toBe(401)
    expect(await server.login(agent.email, 'a-brand-new-password')).toBeTruthy()
  })

  it('deactivating ends sessions and sockets at once and blocks sign-in until reactivated', async () => {
    const agent = await hire()
    const socket = rawSocket(`${server.wsUrl}/sync/inbox?token=${agent.token}`)
    await socket.opened

    const { status, body } = await call(`/api/agents/${agent.id}`, {
      method: 'PATCH',
      token: admin,
      json: { active: false },
    })
    expect(status).toBe(200)
    expect(body.agent.active).toBe(false)
    expect((await socket.closed).code).toBe(4401)
    expect((await call('/api/me', { token: agent.token })).status).toBe(401)
    const login = () =>
      call('/api/auth/login', {
        method: 'POST',
        json: { email: agent.email, password: agent.password },
      })
    expect((await login()).status).toBe(401)

    await call(`/api/agents/${agent.id}`, { method: 'PATCH', token: admin, json: { active: true } })
    expect((await login()).status).toBe(200)
  })

  it('answers 404 for an agent that does not exist and 400 for an empty change', async () => {
    const missing = await call('/api/agents/00000000-0000-4000-8000-000000000000', {
      method: 'PATCH',
      token: admin,
      json: { name: 'X' },
    })
    expect(missing.status).toBe(404)
    expect(
      (await call('/api/agents/not-a-uuid', { method: 'PATCH', token: admin, json: { name: 'X' } }))
        .status,
    ).toBe(404)
    const agent = await hire()
    expect(
      (await call(`/api/agents/${agent.id}`, { method: 'PATCH', token: admin, json: {} })).status,
    ).toBe(400)
  })
})

describe('deleting agents', () => {
  it('removes the agent, their sessions and sockets', async () => {
    const agent = await hire()
    const socket = rawSocket(`${server.wsUrl}/sync/inbox?token=${agent.token}`)
    await socket.opened

    expect((await call(`/api/agents/${agent.id}`, { method: 'DELETE', token: admin })).status).toBe(
      200,
    )
    expect((await socket.closed).code).toBe(4401)
    expect((await call('/api/me', { token: agent.token })).status).toBe(401)
    const listed = (await call('/api/agents', { token: admin })).body.agents as AgentView[]
    expect(listed.some((a) => a.id === agent.id)).toBe(false)
    expect((await call(`/api/agents/${agent.id}`, { method: 'DELETE', token: admin })).status).toBe(
      404,
    )
  })
})

describe('the last active admin', () => {
  it('cannot demote, deactivate or delete themselves; with a second admin they can', async () => {
    const own = await startTestServer()
    try {
      const token = await own.loginAdmin()
      const me = ((await (await own.request('/api/me', { token })).json()) as { user: AgentView })
        .user
      for (const [method, json] of [
        ['PATCH', { role: 'agent' }],
        ['PATCH', { active: false }],
        ['DELETE', undefined],
      ] as const) {
        const response = await own.request(`/api/agents/${me.id}`, { method, token, json })
        expect(response.status).toBe(409)
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
          'last_admin',
        )
      }
      expect((await own.request('/api/me', { token })).status).toBe(200)

      const second = await own.request('/api/agents', {
        method: 'POST',
        token,
        json: {
          name: 'Second Admin',
          email: 'second@test.local',
          password: 'second-password',
          role: 'admin',
        },
      })
      expect(second.status).toBe(201)
      const demoted = await own.request(`/api/agents/${me.id}`, {
        method: 'PATCH',
        token,
        json: { role: 'agent' },
      })
      expect(demoted.status).toBe(200)
      // Demoted on the spot and signed out, this session too; signed in again, only an agent.
      expect((await own.request('/api/me', { token })).status).toBe(401)
      const again = await own.login(TEST_ADMIN.email, TEST_ADMIN.password)
      expect(
        (await own.request('/api/agents', { method: 'POST', token: again, json: {} })).status,
      ).toBe(403)
    } finally {
      await own.stop()
    }
  })
})

describe('responses', () => {
  it('never include password hashes or passwords', () => {
    expect(bodies.length).toBeGreaterThan(20)
    for (const body of bodies) {
      expect(body).not.toMatch(/scrypt|password_hash|passwordHash/i)
      expect(body).not.toMatch(/password-\d+-long|a-brand-new-password|maria-password/)
    }
  })
})
