import { describe, expect, it } from 'vitest'
import { DEMO_ACCOUNTS } from '../src/lifecycle/seed.js'
import { ServerStartError, startTestServer, TEST_ADMIN } from './helpers/server.js'

const WHATSAPP = {
  // Nothing listens on port 9: the server must start without reaching Meta.
  WHATSAPP_API_BASE: 'http://127.0.0.1:9/v25.0',
  WHATSAPP_ACCESS_TOKEN: 'EAAG-secret-access-token',
  WHATSAPP_PHONE_NUMBER_ID: '1234567890',
  WHATSAPP_APP_SECRET: 'secret-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'secret-verify-token',
}
const NO_ADMIN = { ADMIN_EMAIL: undefined, ADMIN_PASSWORD: undefined }

async function startFailure(env: Record<string, string | undefined>): Promise<ServerStartError> {
  const err = await startTestServer({ env }).then(
    async (server) => {
      await server.stop()
      throw new Error('the server started')
    },
    (err: unknown) => err,
  )
  expect(err).toBeInstanceOf(ServerStartError)
  return err as ServerStartError
}

describe('a bad configuration stops start-up', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ ADMIN_EMAIL: 'not-an-email' }, 'ADMIN_EMAIL'],
    [{ WHATSAPP_ACCESS_TOKEN: 'only-one-credential' }, 'WHATSAPP_PHONE_NUMBER_ID'],
    [{ WHATSAPP_API_BASE: 'nonsense' }, 'WHATSAPP_API_BASE'],
  ])('%j exits non-zero naming %s', async (env, variable) => {
    const err = await startFailure(env)
    expect(err.exitCode).not.toBe(0)
    expect(err.stderr).toContain(variable)
    expect(err.stderr).not.toContain('only-one-credential')
  })

  it('a first start with WhatsApp credentials but no admin exits naming ADMIN_EMAIL', async () => {
    const err = await startFailure({ ...WHATSAPP, ...NO_ADMIN })
    expect(err.exitCode).toBe(1)
    expect(err.stderr).toContain('ADMIN_EMAIL')
  })

  it('a port already in use exits non-zero', async () => {
    const first = await startTestServer()
    try {
      const err = await startFailure({ PORT: String(first.port) })
      expect(err.exitCode).not.toBe(0)
    } finally {
      await first.stop()
    }
  })
})

describe('demo mode', () => {
  it('seeds a demo admin and two agents, prints their sign-ins, and lets them sign in', async () => {
    const server = await startTestServer({ env: NO_ADMIN })
    try {
      expect(await (await server.request('/healthz')).json()).toMatchObject({
        ok: true,
        demo: true,
      })
      const { stdout } = server.output()
      for (const account of DEMO_ACCOUNTS) {
        expect(stdout).toContain(account.email)
        expect(stdout).toContain(account.password)
        const token = await server.login(account.email, account.password)
        const me = (await (await server.request('/api/me', { token })).json()) as {
          user: { name: string; role: string }
        }
        expect(me.user).toMatchObject({ name: account.name, role: account.role })
      }
      expect(DEMO_ACCOUNTS.filter((a) => a.role === 'agent')).toHaveLength(2)
      expect(DEMO_ACCOUNTS.every((a) => /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(a.name))).toBe(true)
      expect(await server.login(TEST_ADMIN.email, TEST_ADMIN.password).catch(() => 'refused')).toBe(
        'refused',
      )

      // A restart neither duplicates nor resets them.
      const again = await server.restart()
      try {
        const token = await again.loginAdmin()
        const list = (await (await again.request('/api/agents', { token })).json()) as {
          agents: unknown[]
        }
        expect(list.agents).toHaveLength(DEMO_ACCOUNTS.length)
      } finally {
        await again.stop()
      }
    } finally {
      await server.stop()
    }
  })
})

describe('with WhatsApp credentials', () => {
  it('is not in demo mode, seeds only ADMIN_EMAIL and never prints the secrets', async () => {
    const server = await startTestServer({ env: WHATSAPP })
    try {
      expect(await (await server.request('/healthz')).json()).toMatchObject({
        ok: true,
        demo: false,
      })
      const token = await server.loginAdmin()
      const list = (await (await server.request('/api/agents', { token })).json()) as {
        agents: { email: string }[]
      }
      expect(list.agents.map((a) => a.email)).toEqual([TEST_ADMIN.email])
      const { stdout, stderr } = server.output()
      for (const secret of [...Object.values(WHATSAPP).slice(1), TEST_ADMIN.password, token]) {
        expect(stdout + stderr).not.toContain(secret)
      }
    } finally {
      await server.stop()
    }
  })
})

describe('start and stop', () => {
  it('ADMIN_* only matter on the first start', async () => {
    const first = await startTestServer()
    const second = await first.restart({
      env: { ADMIN_EMAIL: 'other@test.local', ADMIN_PASSWORD: 'other-password' },
    })
    try {
      expect(await second.login(TEST_ADMIN.email, TEST_ADMIN.password)).toBeTruthy()
      expect(await second.login('other@test.local', 'other-password').catch(() => 'refused')).toBe(
        'refused',
      )
    } finally {
      await second.stop()
    }
  })

  it('prints a JSON log line with the real port, and exits 0 on SIGTERM', async () => {
    const server = await startTestServer()
    const line = server
      .output()
      .stdout.split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; port?: number })
      .find((entry) => entry.msg === 'listening')
    expect(line?.port).toBe(server.port)
    expect(server.port).toBeGreaterThan(0)
    expect(await server.stop()).toBe(0)
  })
})
