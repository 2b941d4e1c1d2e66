/** A signed-in team on a test server: an admin and two agents, with tokens, and a conversation. */
import type { TestServer } from './server.js'

export interface Member {
  id: string
  token: string
}

export async function api<T = unknown>(
  server: TestServer,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T }
}

export async function addAgent(
  server: TestServer,
  adminToken: string,
  name: string,
): Promise<Member> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@test.local`
  const password = 'correct horse battery'
  const created = await api<{ agent: { id: string } }>(server, adminToken, 'POST', '/api/agents', {
    name,
    email,
    password,
    role: 'agent',
  })
  if (created.status !== 201) throw new Error(`creating ${name} answered ${created.status}`)
  return { id: created.body.agent.id, token: await server.login(email, password) }
}

export async function startConversation(
  server: TestServer,
  token: string,
  phone = '+5511987654321',
): Promise<string> {
  const started = await api<{ conversation: { id: string } }>(
    server,
    token,
    'POST',
    '/api/conversations',
    {
      phone,
      name: 'Maria Customer',
    },
  )
  if (started.status !== 201 && started.status !== 200)
    throw new Error(`starting answered ${started.status}`)
  return started.body.conversation.id
}
