import { describe, expect, it } from 'vitest'
import { createAuditLog } from './audit.js'
import { openDatabase } from './db.js'

describe('createAuditLog', () => {
  it('pages newest first, with the next page’s `before`', () => {
    const db = openDatabase(':memory:')
    let clock = 1000
    const audit = createAuditLog(db, () => clock++)
    for (let i = 1; i <= 5; i++)
      audit.record({ id: 'a1', name: 'Ana' }, 'agent.create', `agent-${i}`, { n: i })
    const first = audit.page({ limit: 2 })
    expect(first.entries.map((entry) => entry.target)).toEqual(['agent-5', 'agent-4'])
    expect(first.entries[0]).toMatchObject({
      at: 1004,
      actor: { id: 'a1', name: 'Ana' },
      action: 'agent.create',
      details: { n: 5 },
    })
    const second = audit.page({ before: first.next!, limit: 2 })
    expect(second.entries.map((entry) => entry.target)).toEqual(['agent-3', 'agent-2'])
    const last = audit.page({ before: second.next!, limit: 2 })
    expect(last.entries.map((entry) => entry.target)).toEqual(['agent-1'])
    expect(last.next).toBeNull()
  })

  it('looks the actor’s name up when it is not given, and keeps it as written', () => {
    const db = openDatabase(':memory:')
    db.prepare(
      `INSERT INTO agents (id, name, email, role, password_hash, created_at, updated_at)
       VALUES ('b1', 'Bruno', 'b@x.local', 'admin', 'x', 0, 0)`,
    ).run()
    const audit = createAuditLog(db)
    audit.record({ id: 'b1' }, 'settings.read_receipts', 'read_receipts', { enabled: false })
    db.prepare(`UPDATE agents SET name = 'Bruno Lima' WHERE id = 'b1'`).run()
    audit.record({ id: 'gone' }, 'agent.delete', 'b2')
    const { entries } = audit.page({ limit: 10 })
    expect(entries.map((entry) => entry.actor)).toEqual([
      { id: 'gone', name: '' },
      { id: 'b1', name: 'Bruno' },
    ])
  })
})
