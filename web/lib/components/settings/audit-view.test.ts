import { describe, expect, test } from 'vitest'
import type { AuditEntry } from '$lib/api/audit'
import { en } from '$lib/i18n/en'
import { ptBR } from '$lib/i18n/pt-br'
import { auditRow } from './audit-view'

const BRUNO = '0b0e3c1e-4a57-4d7e-9a0b-3f1f8d2c6a11'
const names = (id: string) => (id === BRUNO ? 'Bruno' : undefined)

function entry(action: string, target: unknown, details: unknown): AuditEntry {
  return {
    id: '7',
    at: '2025-03-04T12:00:00.000Z',
    actor: { id: 'a1', name: 'Ana' },
    action,
    target,
    details,
  }
}

describe('audit rows', () => {
  test('an agent change: translated action, the agent by name, the change in words', () => {
    const change = entry('agent.update', BRUNO, {
      fields: ['role', 'active'],
      role: 'admin',
      active: false,
    })
    expect(auditRow(change, en, names)).toEqual({
      id: '7',
      at: Date.parse('2025-03-04T12:00:00.000Z'),
      who: 'Ana',
      what: 'Changed an agent',
      details: 'Bruno · changed: Role, Status · role: Admin · deactivated',
    })
    expect(auditRow(change, ptBR, names).details).toBe(
      'Bruno · alterado: Função, Situação · função: Administrador · desativado',
    )
    const reset = entry('agent.update', BRUNO, { fields: [], passwordReset: true })
    expect(auditRow(reset, en, names).details).toBe('Bruno · new password')
  })

  test('created things are named by their details', () => {
    const created = entry('agent.create', BRUNO, {
      name: 'Bruno',
      email: 'b@x.test',
      role: 'agent',
    })
    expect(auditRow(created, en).details).toBe('Bruno (b@x.test) · role: Agent')
    const template = entry('template.create', 'id', {
      name: 'welcome',
      language: 'pt_BR',
      category: 'UTILITY',
    })
    expect(auditRow(template, en).details).toBe('welcome (pt_BR) · Utility')
  })

  test('settings: changed fields by their labels, shifts and read receipts in words', () => {
    const whatsapp = entry('settings.whatsapp', 'whatsapp', {
      changed: ['accountName', 'accessToken'],
      policiesAccepted: true,
    })
    expect(auditRow(whatsapp, en).details).toBe(
      'changed: Account name, Access token · policies accepted',
    )
    const shifts = entry('settings.shifts', 'shifts', {
      shifts: { morning: '07:00', afternoon: '13:00', night: '19:00' },
    })
    expect(auditRow(shifts, ptBR).details).toBe('Manhã 07:00, Tarde 13:00, Noite 19:00')
    const receipts = entry('settings.read_receipts', 'read_receipts', { enabled: false })
    expect(auditRow(receipts, en).details).toBe('off')
  })

  test('an unknown action is shown as written, with its target and details', () => {
    const row = auditRow({ ...entry('robot.dance', 'floor', { speed: 3 }), actor: null }, en)
    expect(row.what).toBe('robot.dance')
    expect(row.who).toBe('System')
    expect(row.details).toBe('floor · speed: 3')
  })
})
