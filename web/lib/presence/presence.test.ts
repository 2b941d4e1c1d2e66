import { afterEach, expect, test, vi } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { presence, TYPING_IDLE_MS } from './presence.svelte'

const me = { id: 'agent-me', name: 'Me' }
const ana = { id: 'agent-ana', name: 'Ana' }

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
  presence.setViewing('c1')
  presence.setTyping('c1', 'note')
  expect(awareness.getLocalState()).toEqual({
    user: me,
    viewing: 'c1',
    typing: { conversationId: 'c1', mode: 'note' },
  })
  presence.clearTyping()
  expect(awareness.getLocalState()).toMatchObject({ typing: null })
})

test('typing clears itself after a few idle seconds', () => {
  vi.useFakeTimers()
  const awareness = new Awareness(new Y.Doc())
  stop = presence.connect(awareness, me)
  presence.setTyping('c1', 'reply')
  vi.advanceTimersByTime(TYPING_IDLE_MS - 100)
  presence.setTyping('c1', 'reply')
  vi.advanceTimersByTime(TYPING_IDLE_MS - 100)
  expect(presence.typing).not.toBeNull()
  vi.advanceTimersByTime(200)
  expect(presence.typing).toBeNull()
})

test('viewers and typists are the other agents, not this one in another tab', () => {
  const awareness = new Awareness(new Y.Doc())
  stop = presence.connect(awareness, me)
  peer(awareness, { user: ana, viewing: 'c1', typing: { conversationId: 'c1', mode: 'reply' } })
  peer(awareness, { user: me, viewing: 'c1', typing: null })
  peer(awareness, { garbage: true })
  expect(presence.viewersOf('c1')).toEqual([ana])
  expect(presence.viewersOf('c2')).toEqual([])
  expect(presence.typistsOf('c1')).toEqual([{ user: ana, mode: 'reply' }])
})
