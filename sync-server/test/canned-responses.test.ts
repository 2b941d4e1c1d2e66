/**
 * Canned responses over HTTP: any agent creates and lists them (search by title or text, any
 * case; kind public or internal), only the author or an admin changes or deletes one, bad input is
 * a 400 (an unknown placeholder too) and no session a 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './helpers/server.js'
import { addAgent, api, type Member } from './helpers/team.js'

interface CannedResponse {
  id: string
  title: string
  text: string
  kind: 'public' | 'internal'
  createdBy: string
  createdAt: number
}
type One = { cannedResponse: CannedResponse }
type List = { cannedResponses: CannedResponse[] }

let server: TestServer
let admin: string
let ana: Member
let bob: Member

beforeAll(async () => {
  server = await startTestServer()
  admin = await server.loginAdmin()
  ana = await addAgent(server, admin, 'Ana Canned')
  bob = await addAgent(server, admin, 'Bob Canned')
})
afterAll(async () => {
  await server?.stop()
})

const create = (token: string, body: unknown) =>
  api<One>(server, token, 'POST', '/api/canned-responses', body)
const list = async (token: string, q?: string) => {
  const query = q === undefined ? '' : `?q=${encodeURIComponent(q)}`
  const answer = await api<List>(server, token, 'GET', `/api/canned-responses${query}`)
  expect(answer.status).toBe(200)
  return answer.body.cannedResponses
}

describe('canned responses', () => {
  it('any agent creates one; everyone lists it, searched by title or text in any case', async () => {
    const greeting = await create(ana.token, {
      title: 'Saudação',
      text: 'Olá! Como posso ajudar?',
      kind: 'public',
    })
    expect(greeting.status).toBe(201)
    expect(greeting.body.cannedResponse).toMatchObject({
      title: 'Saudação',
      text: 'Olá! Como posso ajudar?',
      kind: 'public',
      createdBy: ana.id,
    })
    expect(typeof greeting.body.cannedResponse.createdAt).toBe('number')
    const vip = await create(bob.token, {
      title: 'VIP',
      text: 'Cliente prioritário',
      kind: 'internal',
    })
    expect(vip.status).toBe(201)
    expect(vip.body.cannedResponse.kind).toBe('internal')

    const everything = await list(bob.token)
    expect(everything.map((r) => r.title)).toEqual(expect.arrayContaining(['Saudação', 'VIP']))
    expect((await list(admin, 'SAUDA')).map((r) => r.title)).toEqual(['Saudação'])
    expect((await list(ana.token, 'OLÁ')).map((r) => r.title)).toEqual(['Saudação'])
    expect((await list(ana.token, 'prioritário')).map((r) => r.id)).toEqual([
      vip.body.cannedResponse.id,
    ])
    expect(await list(ana.token, 'nothing like this')).toEqual([])
  })

  it('only the author or an admin changes or deletes one', async () => {
    const created = await create(ana.token, { title: 'Prazo', text: 'Em 3 dias', kind: 'public' })
    const path = `/api/canned-responses/${created.body.cannedResponse.id}`

    const byBob = await api(server, bob.token, 'PATCH', path, { text: 'Em 1 dia' })
    expect(byBob.status).toBe(403)
    expect((await api(server, bob.token, 'DELETE', path)).status).toBe(403)

    const byAna = await api<One>(server, ana.token, 'PATCH', path, { text: 'Em 2 dias' })
    expect(byAna.status).toBe(200)
    expect(byAna.body.cannedResponse).toMatchObject({ title: 'Prazo', text: 'Em 2 dias' })
    const byAdmin = await api<One>(server, admin, 'PATCH', path, { kind: 'internal' })
    expect(byAdmin.status).toBe(200)
    expect(byAdmin.body.cannedResponse).toMatchObject({ text: 'Em 2 dias', kind: 'internal' })
    expect((await list(bob.token, 'Prazo'))[0]).toMatchObject({ kind: 'internal' })

    expect((await api(server, admin, 'DELETE', path)).status).toBe(204)
    expect(await list(ana.token, 'Prazo')).toEqual([])
    expect((await api(server, ana.token, 'DELETE', path)).status).toBe(404)
    expect((await api(server, ana.token, 'PATCH', path, { text: 'x' })).status).toBe(404)

    const own = await create(bob.token, { title: 'Tchau', text: 'Até logo', kind: 'public' })
    const ownPath = `/api/canned-responses/${own.body.cannedResponse.id}`
    expect((await api(server, bob.token, 'DELETE', ownPath)).status).toBe(204)
  })

  it('answers 400 to bad input', async () => {
    const bad = [
      { text: 'sem título', kind: 'public' },
      { title: '   ', text: 'x', kind: 'public' },
      { title: 'Vazio', text: '  ', kind: 'public' },
      { title: 'Longo', text: 'x'.repeat(4097), kind: 'public' },
      { title: 'Tipo', text: 'x', kind: 'secret' },
      { title: 'Sem tipo', text: 'x' },
      'not an object',
    ]
    for (const body of bad) {
      const answer = await create(ana.token, body)
      expect(answer.status, JSON.stringify(body).slice(0, 60)).toBe(400)
    }
    const max = await create(ana.token, { title: 'Máximo', text: 'x'.repeat(4096), kind: 'public' })
    expect(max.status).toBe(201)
    const path = `/api/canned-responses/${max.body.cannedResponse.id}`
    expect((await api(server, ana.token, 'PATCH', path, {})).status).toBe(400)
    expect((await api(server, ana.token, 'PATCH', path, { kind: 'secret' })).status).toBe(400)

    const malformed = await server.request('/api/canned-responses', {
      method: 'POST',
      token: ana.token,
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    })
    expect(malformed.status).toBe(400)
  })

  it('keeps named placeholders in either language, and refuses an unknown one by name', async () => {
    const text = 'Olá {{nome}}, sou {{agent.name}} ({{ Contato.Telefone }})'
    const saved = await create(ana.token, { title: 'Com nomes', text, kind: 'public' })
    expect(saved.status).toBe(201)
    expect(saved.body.cannedResponse.text).toBe(text)

    type Refusal = { error: { code: string; message: string } }
    const unknown = await api<Refusal>(server, ana.token, 'POST', '/api/canned-responses', {
      title: 'Errado',
      text: 'Olá {{foo}}, sou {{agent.name}}',
      kind: 'public',
    })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.code).toBe('unknown_placeholder')
    expect(unknown.body.error.message).toMatch(/^Unknown placeholder \{\{foo\}\}:/)

    const path = `/api/canned-responses/${saved.body.cannedResponse.id}`
    const changed = await api<Refusal>(server, ana.token, 'PATCH', path, { text: 'Oi {{cliente}}' })
    expect(changed.status).toBe(400)
    expect(changed.body.error).toMatchObject({
      code: 'unknown_placeholder',
      message: expect.stringContaining('{{cliente}}'),
    })
    // Nothing of the refused change was kept.
    expect((await list(ana.token, 'Com nomes'))[0]!.text).toBe(text)
  })

  it('answers 401 without a session', async () => {
    expect((await server.request('/api/canned-responses')).status).toBe(401)
    const post = await server.request('/api/canned-responses', {
      method: 'POST',
      json: { title: 'x', text: 'y', kind: 'public' },
    })
    expect(post.status).toBe(401)
  })
})
