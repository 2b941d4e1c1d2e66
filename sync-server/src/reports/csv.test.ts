import { describe, expect, it } from 'vitest'
import { toCsv } from './csv.js'

describe('toCsv', () => {
  it('quotes what needs quoting and nothing else', () => {
    const csv = toCsv(
      ['name', 'n'],
      [
        ['Ana', 1],
        ['Silva, Bob', 2],
        ['say "hi"', null],
        ['two\nlines', 3.5],
      ],
    )
    expect(csv).toBe(
      '\uFEFFname,n\r\nAna,1\r\n"Silva, Bob",2\r\n"say ""hi""",\r\n"two\nlines",3.5\r\n',
    )
  })

  it('defuses formulas in text, not in numbers', () => {
    expect(toCsv(['a', 'b'], [['=SUM(A1)', -5]])).toBe("\uFEFFa,b\r\n'=SUM(A1),-5\r\n")
    expect(toCsv(['a'], [['@cmd, x']])).toBe('\uFEFFa\r\n"\'@cmd, x"\r\n')
  })
})
