import { describe, expect, it } from 'vitest'
import { MAX_TICKET_SUBJECT, parseTicketFields } from './ticket.js'

describe('parseTicketFields', () => {
  it('keeps what is given: the subject trimmed, blank read as none; absent stays absent', () => {
    expect(parseTicketFields({})).toEqual({ ok: true, fields: {} })
    expect(parseTicketFields({ subject: '  Refund ', priority: 'urgent' })).toEqual({
      ok: true,
      fields: { subject: 'Refund', priority: 'urgent' },
    })
    expect(parseTicketFields({ subject: '   ' })).toEqual({ ok: true, fields: { subject: null } })
    expect(parseTicketFields({ subject: null })).toEqual({ ok: true, fields: { subject: null } })
  })

  it('counts characters, not UTF-16 units, and names the field that is wrong', () => {
    expect(parseTicketFields({ subject: '😀'.repeat(MAX_TICKET_SUBJECT) }).ok).toBe(true)
    expect(parseTicketFields({ subject: 'a'.repeat(MAX_TICKET_SUBJECT + 1) })).toMatchObject({
      ok: false,
      code: 'invalid_ticket_subject',
      field: 'subject',
    })
    expect(parseTicketFields({ subject: 7 })).toMatchObject({ code: 'invalid_ticket_subject' })
    for (const priority of ['asap', null, 3, 'Urgent']) {
      expect(parseTicketFields({ priority })).toMatchObject({
        ok: false,
        code: 'invalid_ticket_priority',
        field: 'priority',
      })
    }
  })
})
