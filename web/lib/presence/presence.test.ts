import { afterEach, expect, test, vi } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { checkPresence } from '@atende/shared'
import { presence, TYPING_IDLE_MS } from './presence.svelte'

const me = { id: '00000000-0000-4000-8000-00000000000a', name: 'Me' }
const ana = { id: '00000000-0000-4000-8000-00000000000b', name: 'Ana' }
const c1 = '00000000-0000-4000-8000-0000000000c1'
const c2 = '00000000-0000-4000-8000-0000000000c2'

/** Another tab's awareness, and a way to deliver its state to ours (as the server would). */
function peer(local: Awareness, state: Record<string, unknown>) {
  const remote = new Awareness(new Y.Doc())
  remote.setLocalState(state)
  applyAwarenessUpdate(local, encodeAwarenessUpdate(remote, [remote.clientID]), 'server')
  return remote
}

let stop: () => void = () => {}
afterEach(() => {
  stop()
  vi.useRealTimers()
})

test('publishes who this tab is, what it views and what it types, in the shared shape', () => {
  const awareness = new Awareness(new Y.Doc())
  stop = presence.connect(awareness, me)
  presence.setViewing(c1)
  presence.setTyping(c1, 'note')
  expect(awareness.getLocalState()).toEqual({
    user: me,
    viewing: c1,
    typing: { conversationId: c1, mode: 'note' },
  })
  presence.clearTyping()
  expect(awareness.getLocalState()).toMatchObject({ typing: null })
})

test('typing clears itself after a few idle seconds', () => {
  vi.useFakeTimers()
  const awareness = new Awareness(new Y.Doc())
  stop = presence.connect(awareness, me)
  presence.setTyping(c1, 'reply')
  vi.advanceTimersByTime(TYPING_IDLE_MS - 100)
  presence.setTyping(c1, 'reply')
  vi.advanceTimersByTime(TYPING_IDLE_MS - 100)
  expect(presence.typing).not.toBeNull()
  vi.advanceTimersByTime(200)
  expect(presence.typing).toBeNull()
})

test('viewers and typists are the other agents, not this one in another tab', () => {
  const awareness = new Awareness(new Y.Doc())
  stop = presence.connect(awareness, me)
  peer(awareness, { user: ana, viewing: c1, typing: { conversationId: c1, mode: 'reply' } })
  peer(awareness, { user: me, viewing: c1, typing: null })
  peer(awareness, { garbage: true })
  expect(presence.viewersOf(c1)).toEqual([ana])
  expect(presence.viewersOf(c2)).toEqual([])
  expect(presence.typistsOf(c1)).toEqual([{ user: ana, mode: 'reply' }])
})

test('publishes only what the presence schema allows', () => {
  const awareness = new Awareness(new Y.Doc())
  stop = presence.connect(awareness, me)
  presence.setViewing('not-a-conversation-id')
  presence.setTyping('not-a-conversation-id', 'reply')
  expect(awareness.getLocalState()).toEqual({ user: me, viewing: null, typing: null })
  expect(checkPresence(awareness.getLocalState()).ok).toBe(true)
})

test('names come from the agents list, else from the name the server vouched for', () => {
  const awareness = new Awareness(new Y.Doc())
  stop = presence.connect(awareness, me)
  const bob = { id: '00000000-0000-4000-8000-00000000000d', name: 'Bob' }
  peer(awareness, { user: ana, viewing: c1, typing: null })
  peer(awareness, { user: { id: bob.id }, viewing: c1, typing: null })
  peer(awareness, { user: { id: ana.id, name: 'Ana' }, viewing: c1, extra: 'not presence' })
  expect(presence.viewersOf(c1)).toEqual([ana])
  const stopNames = presence.useNames((id) => (id === bob.id ? bob.name : undefined))
  expect(presence.viewersOf(c1)).toEqual([ana, bob])
  stopNames()
  expect(presence.viewersOf(c1)).toEqual([ana])
})
