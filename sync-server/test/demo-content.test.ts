/**
 * The one-command demo starts with canned responses and the `follow_up` template in English and
 * Portuguese, seeded once per data directory: what an admin deletes does not come back on restart.
 * A server with its own admin starts with none.
 */
import { findPlaceholders, unknownPlaceholders } from '@atende/shared'
import { afterEach, describe, expect, it } from 'vitest'
import { DEMO_CANNED_RESPONSES, DEMO_TEMPLATES } from '../src/lifecycle/demo-content.js'
import { startTestServer, type TestServer } from './helpers/server.js'

const NO_ADMIN = { ADMIN_EMAIL: undefined, ADMIN_PASSWORD: undefined }

interface Seeded {
  canned: { id: string; title: string; text: string }[]
  templates: { id: string; name: string; language: string }[]
}

async function seeded(server: TestServer): Promise<Seeded & { token: string }> {
  const token = await server.loginAdmin()
  const canned = (await (await server.request('/api/canned-responses', { token })).json()) as {
    cannedResponses: Seeded['canned']
  }
  const templates = (await (await server.request('/api/templates', { token })).json()) as {
    templates: Seeded['templates']
  }
  return { token, canned: canned.cannedResponses, templates: templates.templates }
}

const running: TestServer[] = []
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop()
})

describe('demo content', () => {
  it('seeds canned responses and follow_up in both languages once; deletions stay deleted', async () => {
    const first = await startTestServer({ env: NO_ADMIN })
    running.push(first)
    const before = await seeded(first)
    expect(before.canned.map((c) => c.title).sort()).toEqual(
      DEMO_CANNED_RESPONSES.map((c) => c.title).sort(),
    )
    expect(before.canned.map((c) => c.title)).toEqual(
      expect.arrayContaining(['Greeting', 'Saudação', 'Order status', 'Status do pedido']),
    )
    // The greetings show placeholders at work, each one known (an unknown one would go out as typed).
    const greetings = before.canned.filter((c) => ['Greeting', 'Saudação'].includes(c.title))
    for (const { text } of greetings) {
      expect(findPlaceholders(text).length).toBeGreaterThan(0)
      expect(unknownPlaceholders(text)).toEqual([])
    }
    expect(before.templates.map((t) => [t.name, t.language]).sort()).toEqual([
      ['follow_up', 'en'],
      ['follow_up', 'pt_BR'],
    ])
    expect(DEMO_TEMPLATES).toHaveLength(2)

    // An admin removes every canned response, and the English template.
    const english = before.templates.find((t) => t.language === 'en')!
    const paths = [
      ...before.canned.map((c) => `/api/canned-responses/${c.id}`),
      `/api/templates/${english.id}`,
    ]
    for (const path of paths) {
      const removed = await first.request(path, { method: 'DELETE', token: before.token })
      expect(removed.status, path).toBeLessThan(300)
    }

    const again = await first.restart()
    running.splice(0, 1, again)
    const after = await seeded(again)
    expect(after.canned).toEqual([])
    expect(after.templates.map((t) => t.id)).toEqual(
      before.templates.filter((t) => t.id !== english.id).map((t) => t.id),
    )
  })

  it('a server with its own admin starts with no canned responses or templates', async () => {
    const server = await startTestServer()
    running.push(server)
    const content = await seeded(server)
    expect(content.canned).toEqual([])
    expect(content.templates).toEqual([])
  })
})
