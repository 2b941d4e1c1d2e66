import { describe, expect, it } from 'vitest'
import { docAccessFor } from './access.js'
import { conversationDocName } from './schema.js'

const id = '3b241101-e2bb-4255-8caf-4136c566a962'

describe('docAccessFor', () => {
  it('lets agents and admins open the inbox and conversations', () => {
    for (const role of ['agent', 'admin'] as const) {
      expect(docAccessFor('inbox', { role })).toMatchObject({
        kind: 'inbox',
        access: { write: 'server-only' },
      })
      expect(docAccessFor(conversationDocName(id), { role })).toMatchObject({
        kind: 'conversation',
        conversationId: id,
        access: { write: 'own-messages' },
      })
    }
  })

  it('knows no other document', () => {
    for (const name of [
      '',
      'settings',
      'inbox:2',
      `conversation:${id.toUpperCase()}`,
      'ticket:1',
    ]) {
      expect(docAccessFor(name, { role: 'admin' })).toBeNull()
    }
  })
})
