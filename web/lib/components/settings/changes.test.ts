import { describe, expect, test, vi } from 'vitest'
import { createOrUpdate } from './changes'

interface CannedResponse {
  id: string
  title: string
  text: string
}

const saved: CannedResponse = { id: 'c1', title: 'Hello', text: 'Hi there' }

describe('createOrUpdate', () => {
  test('creates with every field when nothing is being edited', async () => {
    const create = vi.fn(async () => saved)
    const update = vi.fn(async () => saved)
    expect(await createOrUpdate(null, { title: 'Hello', text: 'Hi there' }, create, update)).toBe(
      saved,
    )
    expect(create).toHaveBeenCalledWith({ title: 'Hello', text: 'Hi there' })
    expect(update).not.toHaveBeenCalled()
  })

  test('updates with only the changed fields', async () => {
    const create = vi.fn(async () => saved)
    const update = vi.fn(async () => saved)
    await createOrUpdate(saved, { title: 'Hello', text: 'Good morning' }, create, update)
    expect(update).toHaveBeenCalledWith('c1', { text: 'Good morning' })
    expect(create).not.toHaveBeenCalled()
  })

  test('sends nothing and answers null when an edit changed nothing', async () => {
    const create = vi.fn(async () => saved)
    const update = vi.fn(async () => saved)
    expect(await createOrUpdate(saved, { title: 'Hello', text: 'Hi there' }, create, update)).toBe(
      null,
    )
    expect(create).not.toHaveBeenCalled()
    expect(update).not.toHaveBeenCalled()
  })
})
