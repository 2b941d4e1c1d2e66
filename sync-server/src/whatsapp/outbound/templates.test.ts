import { describe, expect, it } from 'vitest'
import { parameterCount, renderTemplate } from './templates.js'
import { templatePayload } from './payload.js'

describe('templates', () => {
  it('counts {{n}} parameters, numbered without gaps', () => {
    expect(parameterCount('Hello')).toBe(0)
    expect(parameterCount('Olá {{1}}, pedido {{2}} ({{1}})')).toBe(2)
    expect(parameterCount('Olá {{2}}')).toBeNull()
  })

  it('renders the body agents read', () => {
    expect(renderTemplate('Olá {{1}}, seu pedido {{2}} saiu', ['Maria', '42'])).toBe(
      'Olá Maria, seu pedido 42 saiu',
    )
    expect(renderTemplate('Custa {{1}}', ['R$ 10'])).toBe('Custa R$ 10')
  })

  it('sends no components for a template without parameters', () => {
    expect(templatePayload({ name: 'hello_world', language: 'en_US', params: [] })).toEqual({
      type: 'template',
      template: { name: 'hello_world', language: { code: 'en_US', policy: 'deterministic' } },
    })
  })
})
