import {
  foldResponseTimes,
  parseReportRange,
  timelineFor,
  utcSpan,
  type ReportRange,
} from '@atende/shared'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../store/db.js'
import { createReportStore } from '../store/reports.js'
import { createReports } from './reports.js'

const DAY = 86_400_000

function range(from: string, to: string, tz: string): ReportRange {
  const result = parseReportRange({ from, to, tz })
  if (!result.ok) throw new Error(result.message)
  return result.range
}

describe('response times', () => {
  it('per-day aggregates plus edge rows give what a row-by-row fold gives, after any change', () => {
    const conversation = fc.record({
      start: fc.integer({
        min: Date.parse('2024-02-25T00:00:00Z'),
        max: Date.parse('2024-04-05T00:00:00Z'),
      }),
      response: fc.option(fc.nat(3 * DAY)),
      resolution: fc.option(fc.nat(10 * DAY)),
      responder: fc.constantFrom('a', 'b'),
      assignee: fc.constantFrom('a', 'c', null),
    })
    fc.assert(
      fc.property(
        fc.array(conversation, { maxLength: 80 }),
        fc.constantFrom('America/Sao_Paulo', 'Asia/Kathmandu', 'Pacific/Chatham', 'UTC'),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.constantFrom('add', 'respond', 'close', 'reopen', 'move'), { maxLength: 8 }),
        (conversations, tz, offset, days, changes) => {
          const db = openDatabase(':memory:')
          db.exec("INSERT INTO report_agents (agent_id) VALUES ('a'), ('b'), ('c')")
          const insert = db.prepare(
            `INSERT INTO report_conversations (id, started_at, first_response_at, first_responder, assignee, closed_at)
             VALUES (?, ?, ?, (SELECT key FROM report_agents WHERE agent_id = ?),
                     (SELECT key FROM report_agents WHERE agent_id = ?), ?)`,
          )
          for (const c of conversations) {
            insert.run(
              crypto.randomUUID(),
              c.start,
              c.response === null ? null : c.start + c.response,
              c.response === null ? null : c.responder,
              c.assignee,
              c.resolution === null ? null : c.start + c.resolution,
            )
          }
          const store = createReportStore(db)
          const first = new Date(Date.parse('2024-03-01T00:00:00Z') + offset * DAY)
            .toISOString()
            .slice(0, 10)
          const last = new Date(Date.parse(first) + (days - 1) * DAY).toISOString().slice(0, 10)
          const r = range(first, last, tz)
          const { start, end } = utcSpan(r)
          const reports = createReports(store)
          const rowByRow = () =>
            foldResponseTimes(store.conversationTimes(start, end), r, timelineFor(r))
          expect(reports.responseTimes(r)).toEqual(rowByRow())

          // Changes after the per-day cache was filled: every one must show in the next report.
          for (const [i, change] of changes.entries()) {
            const ids = db
              .prepare('SELECT id FROM report_conversations ORDER BY id')
              .pluck()
              .all() as string[]
            const id = ids[i % Math.max(1, ids.length)]
            if (change === 'add' || !id) {
              insert.run(
                crypto.randomUUID(),
                Date.parse('2024-03-10T12:00:00Z') + i * 3_600_000,
                null,
                null,
                null,
                null,
              )
            } else if (change === 'respond') {
              db.prepare(
                'UPDATE report_conversations SET first_response_at = started_at + ?, first_responder = 1 WHERE id = ?',
              ).run(1000 * (i + 1), id)
            } else if (change === 'close') {
              db.prepare(
                'UPDATE report_conversations SET closed_at = started_at + ? WHERE id = ?',
              ).run(60_000 * (i + 1), id)
            } else if (change === 'reopen') {
              db.prepare('UPDATE report_conversations SET closed_at = NULL WHERE id = ?').run(id)
            } else {
              db.prepare(
                'UPDATE report_conversations SET started_at = started_at - ? WHERE id = ?',
              ).run(DAY * (i + 1), id)
            }
          }
          expect(reports.responseTimes(r)).toEqual(rowByRow())
          db.close()
        },
      ),
      { numRuns: 60 },
    )
  })
})
