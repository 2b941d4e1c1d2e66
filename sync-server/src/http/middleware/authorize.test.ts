import type { AgentId } from '@atende/shared'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../log.js'
import type { Sessions } from '../../store/sessions.js'
import type { RouteAccess } from '../access.js'
import { handleError } from '../errors.js'
import type { AuthEnv } from './auth.js'
import { authorize } from './authorize.js'

const TABLE: RouteAccess[] = [
  { method: 'POST', path: '/api/login', access: 'public', bodyLimit: 10 },
  { method: 'GET', path: '/api/items/:id', access: 'signed-in' },
  { method: 'POST', path: '/api/items/:id/notes', access: 'signed-in', bodyLimit: 20 },
  {
    method: 'PUT',
    path: '/api/settings',
    access: 'admin',
    bodyLimit: 20,
    tooLarge: { code: 'settings_too_large', message: 'Too much' },
  },
]

const ROLES: Record<string, 'agent' | 'admin'> = { agent: 'agent', admin: 'admin' }
const sessions = {
  ttlMs: 60_000,
  resolve: (token: string) =>
    ROLES[token] ? { actor: { id: token as AgentId, role: ROLES[token] }, renewed: false } : null,
} as unknown as Sessions

function app() {
  const api = new Hono<AuthEnv>()
  api.use('*', authorize(TABLE, { sessions }))
  // Handlers for everything, declared or not: the middleware decides what gets through.
  api.all('*', async (c) => c.json({ through: true, body: await c.req.text() }))
  const root = new Hono()
  root.onError(handleError(createLogger('test', { write: () => {} })))
  root.route('/api', api)
  return root
}

async function call(method: string, path: string, token?: string, body?: string) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
  const response = await app().request(path, { method, headers, body })
  const json = (await response.json().catch(() => null)) as { error?: { code: string } } | null
  return { status: response.status, code: json?.error?.code ?? null }
}

describe('authorize', () => {
  it('lets anyone call a public route, within its cap', async () => {
    expect(await call('POST', '/api/login', undefined, '{}')).toEqual({ status: 200, code: null })
    expect(await call('POST', '/api/login', undefined, 'x'.repeat(11))).toEqual({
      status: 413,
      code: 'payload_too_large',
    })
  })

  it('needs a session for signed-in routes, from any role', async () => {
    expect(await call('GET', '/api/items/1')).toEqual({ status: 401, code: 'unauthorized' })
    expect(await call('GET', '/api/items/1', 'nobody')).toMatchObject({ status: 401 })
    expect(await call('GET', '/api/items/1', 'agent')).toEqual({ status: 200, code: null })
    expect(await call('HEAD', '/api/items/1', 'agent')).toMatchObject({ status: 200 })
    expect(await call('POST', '/api/items/1/notes', 'admin', '{}')).toMatchObject({ status: 200 })
  })

  it('refuses agents on admin routes with 403, and the body cap speaks its own code', async () => {
    expect(await call('PUT', '/api/settings', undefined, '{}')).toMatchObject({ status: 401 })
    expect(await call('PUT', '/api/settings', 'agent', '{}')).toEqual({
      status: 403,
      code: 'forbidden',
    })
    expect(await call('PUT', '/api/settings', 'admin', '{}')).toMatchObject({ status: 200 })
    expect(await call('PUT', '/api/settings', 'admin', 'x'.repeat(21))).toEqual({
      status: 413,
      code: 'settings_too_large',
    })
  })

  it('checks the session before the body: nobody learns a cap without one', async () => {
    expect(await call('POST', '/api/items/1/notes', undefined, 'x'.repeat(100))).toMatchObject({
      status: 401,
    })
  })

  it('answers undeclared routes 404 once signed in, 401 before', async () => {
    for (const [method, path] of [
      ['GET', '/api/nothing'],
      ['DELETE', '/api/items/1'],
      ['GET', '/api/items/1/notes'],
      ['OPTIONS', '/api/items/1'],
    ] as const) {
      expect(await call(method, path)).toEqual({ status: 401, code: 'unauthorized' })
      expect(await call(method, path, 'admin')).toEqual({ status: 404, code: 'not_found' })
    }
  })
})
