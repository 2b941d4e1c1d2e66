import http from 'node:http'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startTestServer, TEST_ADMIN, type TestServer } from './helpers/server.js'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server?.stop()
})

function login(email: string, password: string, headers: Record<string, string> = {}) {
  return server.request('/api/auth/login', { method: 'POST', json: { email, password }, headers })
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error
}

describe('sign-in', () => {
  it('returns a token, the user and an HttpOnly session cookie', async () => {
    const response = await login(TEST_ADMIN.email, TEST_ADMIN.password)
    expect(response.status).toBe(200)
    const body = (await response.json()) as { token: string; user: Record<string, unknown> }
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(Object.keys(body.user).sort()).toEqual(['email', 'id', 'name', 'role'])
    expect(body.user).toMatchObject({ email: TEST_ADMIN.email, role: 'admin' })

    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toContain(`atende_session=${body.token}`)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect(cookie).toMatch(/Path=\//)
    expect(cookie).not.toMatch(/Secure/i)
  })

  it('marks the cookie Secure behind an https proxy', async () => {
    const response = await login(TEST_ADMIN.email, TEST_ADMIN.password, {
      'x-forwarded-proto': 'https',
    })
    expect(response.headers.get('set-cookie')).toMatch(/; Secure/i)
  })

  it('treats the email case-insensitively', async () => {
    const response = await login('  Admin@TEST.local ', TEST_ADMIN.password)
    expect(response.status).toBe(200)
  })

  it('answers a wrong password and an unknown email the same way', async () => {
    const wrong = await login(TEST_ADMIN.email, 'not-the-password')
    const unknown = await login('nobody@test.local', 'not-the-password')
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(await wrong.json()).toEqual(await unknown.json())
    expect(wrong.headers.get('set-cookie')).toBeNull()
  })

  it('rejects bodies that are not JSON or lack fields with 400', async () => {
    const malformed = await server.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": ',
    })
    expect(malformed.status).toBe(400)
    expect((await errorOf(malformed)).code).toBe('malformed_json')

    const missing = await server.request('/api/auth/login', {
      method: 'POST',
      json: { email: TEST_ADMIN.email },
    })
    expect(missing.status).toBe(400)
    expect(await errorOf(missing)).toMatchObject({
      code: 'invalid_body',
      message: expect.stringContaining('password'),
    })
  })

  it('refuses bodies over 1 MiB with 413', async () => {
    const response = await server.request('/api/auth/login', {
      method: 'POST',
      json: { email: TEST_ADMIN.email, password: 'x'.repeat(1024 * 1024 + 1) },
    })
    expect(response.status).toBe(413)
    expect((await errorOf(response)).code).toBe('payload_too_large')
  })

  it('refuses a sign-in posted from another site', async () => {
    const response = await login(TEST_ADMIN.email, TEST_ADMIN.password, {
      origin: 'https://evil.example',
    })
    expect(response.status).toBe(403)
  })
})

// Each case gets its own server: the throttle's counters would otherwise carry over between them.
describe('sign-in throttling', () => {
  let own: TestServer
  beforeEach(async () => {
    own = await startTestServer()
  })
  afterEach(async () => {
    await own.stop()
  })

  const attempt = (email: string, password: string) =>
    own.request('/api/auth/login', { method: 'POST', json: { email, password } })

  async function ownAgent(email: string) {
    const password = 'agent-password-1'
    const response = await own.request('/api/agents', {
      method: 'POST',
      token: await own.loginAdmin(),
      json: { name: 'Test Agent', email, password, role: 'agent' },
    })
    expect(response.status).toBe(201)
    return { email, password }
  }

  it('answers 429 with Retry-After to one address after 5 failures on an account, even with the right password', async () => {
    const agent = await ownAgent('throttled@test.local')
    for (let i = 0; i < 5; i++)
      expect((await attempt(agent.email, 'wrong-password')).status).toBe(401)

    const blocked = await attempt(agent.email, agent.password)
    expect(blocked.status).toBe(429)
    const retryAfter = Number(blocked.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(15 * 60)
    expect((await errorOf(blocked)).code).toBe('too_many_attempts')
    // The same email in other letter case is the same account.
    expect((await attempt(agent.email.toUpperCase(), agent.password)).status).toBe(429)

    // Other accounts are not locked out by it, from the same address either.
    expect((await attempt(TEST_ADMIN.email, TEST_ADMIN.password)).status).toBe(200)
    // Nor is the account itself from another address (the owner's own).
    expect((await loginFrom(own, '127.0.0.2', agent.email, agent.password)).status).toBe(200)
  })

  it('forgets earlier failures after a successful sign-in', async () => {
    const agent = await ownAgent('forgiven@test.local')
    for (let i = 0; i < 4; i++)
      expect((await attempt(agent.email, 'wrong-password')).status).toBe(401)
    expect((await attempt(agent.email, agent.password)).status).toBe(200)
    for (let i = 0; i < 4; i++)
      expect((await attempt(agent.email, 'wrong-password')).status).toBe(401)
    expect((await attempt(agent.email, agent.password)).status).toBe(200)
  })

  it('slows down, but never shuts out, an address that fails across many accounts', async () => {
    for (let i = 0; i < 20; i++)
      expect((await attempt(`guess${i}@test.local`, 'wrong-password')).status).toBe(401)
    // Used to be 429 for everyone behind the address; now a delay, then the right password works.
    expect((await attempt(TEST_ADMIN.email, TEST_ADMIN.password)).status).toBe(200)
  })

  it('does not let parallel guesses slip past the limit', async () => {
    const agent = await ownAgent('parallel@test.local')
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        attempt(agent.email, 'wrong-password').then((r) => r.status),
      ),
    )
    expect(answers.filter((status) => status === 401)).toHaveLength(5)
    expect(answers.filter((status) => status === 429)).toHaveLength(7)
  })
})

/** `POST /api/auth/login` from a given local address (Linux routes all of 127/8 to loopback). */
function loginFrom(
  target: TestServer,
  localAddress: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const body = JSON.stringify({ email, password })
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: '/api/auth/login',
        method: 'POST',
        localAddress,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => (text += chunk))
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : null }),
        )
      },
    )
    request.on('error', reject)
    request.end(body)
  })
}

interface AuditPage {
  entries: Array<{ action: string; target: string | null; details: Record<string, unknown> }>
}
interface NotificationPage {
  notifications: Array<{ kind: string; accountId: string | null; conversationId: string | null }>
}

describe('sign-in throttling cannot lock the owner out', () => {
  let own: TestServer | undefined
  afterEach(async () => {
    await own?.stop()
    own = undefined
  })

  it('a spray on the admin’s email from one address: the admin signs in from another, and hears of it', async () => {
    own = await startTestServer()
    const attacker = '127.0.0.2'
    const statuses = []
    for (let i = 0; i < 30; i++)
      statuses.push((await loginFrom(own, attacker, TEST_ADMIN.email, `guess-${i}`)).status)
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]))
    // Even the right password from the attacker's address is refused for now…
    expect((await loginFrom(own, attacker, TEST_ADMIN.email, TEST_ADMIN.password)).status).toBe(429)
    // …but not from the admin's own address.
    const admin = await loginFrom(own, '127.0.0.1', TEST_ADMIN.email, TEST_ADMIN.password)
    expect(admin.status).toBe(200)
    const { token, user } = admin.body as { token: string; user: { id: string } }

    const audit = await own.request('/api/audit', { token })
    const entries = ((await audit.json()) as AuditPage).entries
    expect(entries.find((entry) => entry.action === 'auth.sign_in_failures')).toMatchObject({
      target: user.id,
      details: { email: TEST_ADMIN.email, failures: 5, addresses: [attacker] },
    })
    const notifications = await own.request('/api/notifications', { token })
    expect(((await notifications.json()) as NotificationPage).notifications).toContainEqual(
      expect.objectContaining({
        kind: 'sign_in_failures',
        accountId: user.id,
        conversationId: null,
      }),
    )
  })

  it('behind a trusted proxy, 20 failures from one client do not stop another client signing in', async () => {
    own = await startTestServer({ env: { TRUST_PROXY: '127.0.0.1' } })
    const viaProxy = (client: string, email: string, password: string) =>
      loginFrom(own!, '127.0.0.1', email, password, { 'x-forwarded-for': client })
    // 20 failures from one client: 5 on the admin's account, 15 on guessed emails.
    for (let i = 0; i < 5; i++)
      expect((await viaProxy('203.0.113.5', TEST_ADMIN.email, 'wrong-password')).status).toBe(401)
    for (let i = 0; i < 15; i++) {
      const guess = await viaProxy('203.0.113.5', `guess${i}@test.local`, 'wrong-password')
      expect(guess.status).toBe(401)
    }
    // That client is refused on the admin's account; another client behind the same proxy (one
    // address to the server, which used to refuse everyone behind it) signs in.
    expect((await viaProxy('203.0.113.5', TEST_ADMIN.email, TEST_ADMIN.password)).status).toBe(429)
    expect((await viaProxy('203.0.113.9', TEST_ADMIN.email, TEST_ADMIN.password)).status).toBe(200)
  })

  it('ignores X-Forwarded-For from a client that is not a trusted proxy', async () => {
    own = await startTestServer({ env: { TRUST_PROXY: '127.0.0.1' } })
    const spoofer = '127.0.0.2'
    const statuses = []
    for (let i = 0; i < 6; i++) {
      const forged = { 'x-forwarded-for': `198.51.100.${i + 1}` }
      statuses.push(
        (await loginFrom(own, spoofer, TEST_ADMIN.email, 'wrong-password', forged)).status,
      )
    }
    // A fresh forged address per attempt does not make fresh pairs: the sixth is refused.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
    const token = await own.login(TEST_ADMIN.email, TEST_ADMIN.password)
    const entries = ((await (await own.request('/api/audit', { token })).json()) as AuditPage)
      .entries
    expect(
      entries.find((entry) => entry.action === 'auth.sign_in_failures')?.details,
    ).toMatchObject({
      addresses: [spoofer],
    })
  })
})

describe('sessions', () => {
  it('GET /api/me tells who the bearer token or the cookie belongs to', async () => {
    const response = await login(TEST_ADMIN.email, TEST_ADMIN.password)
    const { token } = (await response.json()) as { token: string }
    const byBearer = await server.request('/api/me', { token })
    expect(byBearer.status).toBe(200)
    expect(await byBearer.json()).toMatchObject({
      user: { email: TEST_ADMIN.email, role: 'admin', name: expect.any(String) },
    })

    const cookie = response.headers.get('set-cookie')!.split(';')[0]!
    const byCookie = await server.request('/api/me', { headers: { cookie } })
    expect(byCookie.status).toBe(200)
  })

  it('sign-out revokes the session and clears the cookie', async () => {
    const token = await server.login(TEST_ADMIN.email, TEST_ADMIN.password)
    const other = await server.login(TEST_ADMIN.email, TEST_ADMIN.password)
    const logout = await server.request('/api/auth/logout', { method: 'POST', token })
    expect(logout.status).toBe(200)
    expect(logout.headers.get('set-cookie')).toMatch(/atende_session=;.*Max-Age=0/i)

    expect((await server.request('/api/me', { token })).status).toBe(401)
    expect((await server.request('/api/auth/logout', { method: 'POST', token })).status).toBe(401)
    // Only that session: the same user's other session still works.
    expect((await server.request('/api/me', { token: other })).status).toBe(200)
  })

  it('survives a restart of the server', async () => {
    const first = await startTestServer()
    const token = await first.loginAdmin()
    const second = await first.restart()
    try {
      expect((await second.request('/api/me', { token })).status).toBe(200)
    } finally {
      await second.stop()
    }
  })
})

describe('without a valid session', () => {
  const someId = '00000000-0000-4000-8000-000000000000'
  const routes: [string, string][] = [
    ['GET', '/api/me'],
    ['POST', '/api/auth/logout'],
    ['GET', '/api/agents'],
    ['POST', '/api/agents'],
    ['PATCH', `/api/agents/${someId}`],
    ['DELETE', `/api/agents/${someId}`],
    ['GET', '/api/no-such-route'],
  ]

  it.each(routes)('%s %s answers 401 JSON', async (method, path) => {
    for (const token of [undefined, 'not-a-token', 'A'.repeat(43)]) {
      const response = await server.request(path, {
        method,
        token,
        json: method === 'GET' ? undefined : {},
      })
      expect(response.status).toBe(401)
      expect(await errorOf(response)).toMatchObject({ code: 'unauthorized' })
    }
  })

  it('GET /healthz answers without one', async () => {
    const response = await server.request('/healthz')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      ok: true,
      demo: true,
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    })
  })

  it('unknown API routes answer 404 JSON once signed in', async () => {
    const token = await server.loginAdmin()
    const response = await server.request('/api/no-such-route', { token })
    expect(response.status).toBe(404)
    expect((await errorOf(response)).code).toBe('not_found')
  })
})

describe('logs', () => {
  it('never contain passwords or session tokens', async () => {
    const token = await server.loginAdmin()
    await login(TEST_ADMIN.email, 'a-wrong-password-to-log')
    const { stdout, stderr } = server.output()
    for (const secret of [TEST_ADMIN.password, 'a-wrong-password-to-log', token]) {
      expect(stdout).not.toContain(secret)
      expect(stderr).not.toContain(secret)
    }
  })
})
