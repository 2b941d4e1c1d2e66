/**
 * Conversations by source: a conversation whose customer came from a click-to-WhatsApp ad or post
 * (the `referral` of a signed webhook) counts under that source, any other as `direct`, by the
 * local date of its start; the overview's JSON and CSV both carry it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { textMessage } from './helpers/fake-meta.js'
import { REFERENCE_REFERRAL, referralText } from './helpers/reference-examples.js'
import { startInboundWorld, type InboundWorld } from './whatsapp-inbound-helpers.js'

let world: InboundWorld

beforeAll(async () => {
  world = await startInboundWorld()
})
afterAll(async () => {
  await world?.close()
})

interface SourceCount {
  source: string
  conversations: number
}

async function overview(query: string): Promise<{ conversationsBySource: SourceCount[] }> {
  const response = await world.server.request(`/api/reports/overview?${query}`, {
    token: world.token,
  })
  expect(response.status).toBe(200)
  return (await response.json()) as { conversationsBySource: SourceCount[] }
}

/** Polls until the report shows `expected` (facts are recorded as the documents change). */
async function eventuallySources(query: string, expected: SourceCount[]): Promise<void> {
  const started = Date.now()
  for (;;) {
    const { conversationsBySource } = await overview(query)
    if (JSON.stringify(conversationsBySource) === JSON.stringify(expected)) return
    if (Date.now() - started > 10_000) expect(conversationsBySource).toEqual(expected)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe('conversations by source', () => {
  it('counts ads, posts and direct conversations, in JSON and CSV', async () => {
    const at = Date.UTC(2024, 6, 1, 12) / 1000
    const send = (waId: string, message: ReturnType<typeof textMessage>) =>
      world.meta.webhook(world.server.url, world.meta.messages({ waId, name: waId }, message))
    await send(
      '5511970000001',
      referralText('5511970000001', 'ad one', REFERENCE_REFERRAL, { timestamp: at }),
    )
    await send(
      '5511970000002',
      referralText('5511970000002', 'ad two', REFERENCE_REFERRAL, { timestamp: at + 60 }),
    )
    await send(
      '5511970000003',
      referralText(
        '5511970000003',
        'from a post',
        { ...REFERENCE_REFERRAL, source_type: 'post' },
        { timestamp: at + 120 },
      ),
    )
    await send(
      '5511970000004',
      textMessage('5511970000004', 'just writing', { timestamp: at + 180 }),
    )
    // A later message of the first customer with no referral changes nothing.
    await send('5511970000001', textMessage('5511970000001', 'again', { timestamp: at + 240 }))

    const query = 'from=2024-07-01&to=2024-07-01&tz=UTC'
    await eventuallySources(query, [
      { source: 'ad', conversations: 2 },
      { source: 'direct', conversations: 1 },
      { source: 'post', conversations: 1 },
    ])
    // Another day sees none of them.
    expect((await overview('from=2024-07-02&to=2024-07-02&tz=UTC')).conversationsBySource).toEqual(
      [],
    )

    const csv = await world.server.request(`/api/reports/overview?${query}&format=csv`, {
      token: world.token,
    })
    const text = await csv.text()
    expect(text).toContain('conversations_by_source,ad,2')
    expect(text).toContain('conversations_by_source,direct,1')
    expect(text).toContain('conversations_by_source,post,1')
  })
})
