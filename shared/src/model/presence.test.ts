import { describe, expect, it } from 'vitest'
import { checkPresence, presenceOf, readPresence } from './presence.js'

const agent = '0b8f5a36-3c3e-4c5e-9a3b-1f2e3d4c5b6a'
const conversation = '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d'

describe('presence schema', () => {
  it('accepts what the web client publishes, the stock client’s empty state and a departure', () => {
    const state = {
      user: { id: agent, name: 'Ana' },
      viewing: conversation,
      typing: { conversationId: conversation, mode: 'note' },
    }
    expect(checkPresence(state)).toEqual({ ok: true, state })
    expect(checkPresence({ user: { id: agent } }).ok).toBe(true)
    expect(checkPresence({})).toEqual({ ok: true, state: {} })
    expect(checkPresence(null)).toEqual({ ok: true, state: null })
  })

  it.each([
    ['no user.id', { user: { name: 'Nobody' }, viewing: null }],
    ['no user', { viewing: conversation }],
    ['an extra field', { user: { id: agent }, color: 'red' }],
    ['an extra user field', { user: { id: agent, role: 'admin' } }],
    ['an oversize name', { user: { id: agent, name: 'A'.repeat(101) } }],
    ['a viewing that is not an id', { user: { id: agent }, viewing: 'x'.repeat(40) }],
    ['typing as text', { user: { id: agent }, typing: 'reply' }],
    ['an array', [agent]],
    ['text', 'hello'],
  ])('refuses a state with %s, saying where', (_label, state) => {
    const checked = checkPresence(state)
    expect(checked.ok).toBe(false)
    if (!checked.ok) expect(checked.reason).toMatch(/^presence /)
  })

  it('builds only states that fit, leaving out what would not', () => {
    expect(
      presenceOf({
        user: { id: agent, name: 'N'.repeat(300) },
        viewing: 'not-an-id',
        typing: { conversationId: 'nope', mode: 'reply' },
      }),
    ).toEqual({ user: { id: agent, name: 'N'.repeat(100) }, viewing: null, typing: null })
    expect(presenceOf({ user: { id: 'agent-1' }, viewing: null, typing: null })).toBeNull()
    const built = presenceOf({
      user: { id: agent },
      viewing: conversation,
      typing: { conversationId: conversation, mode: 'reply' },
    })
    expect(checkPresence(built).ok).toBe(true)
    expect(readPresence(built)).toEqual(built)
    expect(readPresence({ garbage: true })).toBeNull()
  })
})
