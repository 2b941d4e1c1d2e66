import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  fillPlaceholders,
  findPlaceholders,
  PLACEHOLDER_ALIASES,
  placeholderValues,
  unknownPlaceholders,
} from './placeholders.js'

const values = placeholderValues({
  contact: { name: 'Emily Johnson', phone: '+1 555 0100' },
  agent: { name: 'Ana Souza' },
})

describe('findPlaceholders', () => {
  it('finds each {{…}} with the key it stands for, in either language, any case and spacing', () => {
    const found = findPlaceholders(
      'Olá {{ Nome }}, sou {{agent.name}} ({{contato.telefone}}) {{x}}',
    )
    expect(found.map(({ raw, key }) => [raw, key])).toEqual([
      ['{{ Nome }}', 'contact.name'],
      ['{{agent.name}}', 'agent.name'],
      ['{{contato.telefone}}', 'contact.phone'],
      ['{{x}}', null],
    ])
    expect(found[0]!.index).toBe(4)
  })

  it('finds nothing in plain text or single braces', () => {
    expect(findPlaceholders('Olá {nome}, tudo bem? {{')).toEqual([])
  })
})

describe('unknownPlaceholders', () => {
  it('names each unknown one once, as written', () => {
    expect(unknownPlaceholders('{{foo}} {{nome}} {{foo}} {{1}}')).toEqual(['{{foo}}', '{{1}}'])
    expect(unknownPlaceholders('Olá {{contato.primeiro_nome}}, sou {{agente.nome}}')).toEqual([])
  })
})

describe('fillPlaceholders', () => {
  it('fills the contact and the agent, first names included', () => {
    expect(fillPlaceholders('Olá {{nome}}, sou {{agent.name}}', values)).toBe(
      'Olá Emily Johnson, sou Ana Souza',
    )
    expect(
      fillPlaceholders('Hi {{contact.first_name}}, {{agente.primeiro_nome}} here', values),
    ).toBe('Hi Emily, Ana here')
    expect(fillPlaceholders('{{contact.phone}}', values)).toBe('+1 555 0100')
  })

  it('leaves unknown placeholders as written and fills unknown values with nothing', () => {
    expect(fillPlaceholders('{{foo}} {{nome}}', {})).toBe('{{foo}} ')
  })

  it('every alias is filled; text without placeholders is unchanged', () => {
    for (const alias of Object.keys(PLACEHOLDER_ALIASES)) {
      expect(fillPlaceholders(`{{${alias}}}`, values)).not.toContain('{{')
    }
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!text.includes('{{'))
        expect(fillPlaceholders(text, values)).toBe(text)
      }),
    )
    // After filling, only the unknown ones remain.
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...Object.keys(PLACEHOLDER_ALIASES)), fc.string())),
        (names) => {
          const text = names.map((name) => `{{${name}}}`).join(' ')
          const filled = fillPlaceholders(text, values)
          expect(findPlaceholders(filled).every((found) => found.key === null)).toBe(true)
        },
      ),
    )
  })
})
