/**
 * Templates: admins register them (agents may only list), agents send one, e.g. to start a new
 * conversation whose window is closed; the send is a `template` payload with body parameters.
 */
import { readMessages, type AgentMessage } from '@atende/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, startConversation } from './helpers/team.js'
import {
  customerNumber,
  openDoc,
  receiptIn,
  startWorld,
  type World,
} from './helpers/whatsapp-outbound.js'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.close()
})

const ORDER = {
  name: 'order_update',
  language: 'pt_BR',
  category: 'utility',
  body: 'Olá {{1}}, seu pedido {{2}} saiu para entrega.',
}

describe('message templates', () => {
  it('CRUD: any signed-in agent lists, only admins create, change and delete', async () => {
    const { server, admin, ana } = world
    expect((await api(server, ana.token, 'POST', '/api/templates', ORDER)).status).toBe(403)
    const created = await api<{ template: { id: string; category: string } }>(
      server,
      admin,
      'POST',
      '/api/templates',
      ORDER,
    )
    expect(created.status).toBe(201)
    expect(created.body.template).toMatchObject({ ...ORDER, category: 'UTILITY' })
    expect((await api(server, admin, 'POST', '/api/templates', ORDER)).status).toBe(409)
    const bad = await api<{ error: { code: string; message: string } }>(
      server,
      admin,
      'POST',
      '/api/templates',
      {
        ...ORDER,
        name: 'gap',
        body: 'Olá {{2}}',
      },
    )
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toMatch(/^body: /)

    const listed = await api<{ templates: { name: string }[] }>(
      server,
      ana.token,
      'GET',
      '/api/templates',
    )
    expect(listed.status).toBe(200)
    expect(listed.body.templates.map((t) => t.name)).toContain('order_update')

    const id = created.body.template.id
    const extra = await api<{ template: { id: string } }>(server, admin, 'POST', '/api/templates', {
      name: 'goodbye',
      language: 'en_US',
      category: 'marketing',
      body: 'Bye!',
    })
    expect(
      (await api(server, ana.token, 'PATCH', `/api/templates/${id}`, { body: 'x' })).status,
    ).toBe(403)
    const patched = await api<{ template: { body: string } }>(
      server,
      admin,
      'PATCH',
      `/api/templates/${extra.body.template.id}`,
      {
        body: 'Até logo, {{1}}!',
        language: 'pt_BR',
      },
    )
    expect(patched.status).toBe(200)
    expect(patched.body.template.body).toBe('Até logo, {{1}}!')
    expect(
      (await api(server, ana.token, 'DELETE', `/api/templates/${extra.body.template.id}`)).status,
    ).toBe(403)
    expect(
      (await api(server, admin, 'DELETE', `/api/templates/${extra.body.template.id}`)).status,
    ).toBe(204)
    expect(
      (await api(server, admin, 'DELETE', `/api/templates/${extra.body.template.id}`)).status,
    ).toBe(404)
  })

  it('an agent starts a conversation with a template: sent as type template, body parameters as components', async () => {
    const { server, ana, meta } = world
    const waId = customerNumber()
    const id = await startConversation(server, ana.token, `+${waId}`)
    const wrongCount = await api(server, ana.token, 'POST', `/api/conversations/${id}/template`, {
      name: 'order_update',
      language: 'pt_BR',
      params: ['Maria'],
    })
    expect(wrongCount.status).toBe(400)
    const unknown = await api(server, ana.token, 'POST', `/api/conversations/${id}/template`, {
      name: 'order_update',
      language: 'en_US',
      params: ['Maria', '42'],
    })
    expect(unknown.status).toBe(404)

    const clientMessageId = crypto.randomUUID()
    const sent = await api<{ message: AgentMessage }>(
      server,
      ana.token,
      'POST',
      `/api/conversations/${id}/template`,
      {
        name: 'order_update',
        language: 'pt_BR',
        params: ['Maria', '42'],
        clientMessageId,
      },
    )
    expect(sent.status).toBe(201)
    expect(sent.body.message).toMatchObject({
      id: clientMessageId,
      kind: 'agent',
      authorId: ana.id,
      text: 'Olá Maria, seu pedido 42 saiu para entrega.',
      template: { name: 'order_update', language: 'pt_BR', params: ['Maria', '42'] },
    })
    // The same request again (a client retry) appends nothing.
    const again = await api(server, ana.token, 'POST', `/api/conversations/${id}/template`, {
      name: 'order_update',
      language: 'pt_BR',
      params: ['Maria', '42'],
      clientMessageId,
    })
    expect(again.status).toBe(200)

    const client = await openDoc(world, id)
    const receipt = await receiptIn(client, clientMessageId, ['sent', 'failed'])
    expect(receipt.status).toBe('sent')
    expect(readMessages(client.doc).filter((m) => m.id === clientMessageId)).toHaveLength(1)
    const sends = meta.sends.filter((send) => send.to === waId)
    expect(sends).toHaveLength(1)
    expect(sends[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: waId,
      type: 'template',
      template: {
        name: 'order_update',
        language: { code: 'pt_BR', policy: 'deterministic' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Maria' },
              { type: 'text', text: '42' },
            ],
          },
        ],
      },
    })
  })
})
