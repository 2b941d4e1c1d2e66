import { describe, expect, test } from 'vitest'
import { en } from './en'
import { ptBR } from './pt-br'
import { negotiateLocale } from './locales'

describe('negotiateLocale', () => {
  test('takes the first supported language in the browser order', () => {
    expect(negotiateLocale(['pt-BR', 'en-US'])).toBe('pt-BR')
    expect(negotiateLocale(['en-GB', 'pt-BR'])).toBe('en')
    expect(negotiateLocale(['fr-FR', 'pt-PT', 'en'])).toBe('pt-BR')
    expect(negotiateLocale(['pt'])).toBe('pt-BR')
  })

  test('falls back to English', () => {
    expect(negotiateLocale([])).toBe('en')
    expect(negotiateLocale(['de-DE', 'ja'])).toBe('en')
  })
})

describe('dictionaries', () => {
  // The type already forces the same keys; this guards against an untranslated copy-paste.
  test('pt-BR translates the words the tests and agents rely on', () => {
    expect(ptBR.login.submit).toBe('Entrar')
    expect(ptBR.login.email).toBe('E-mail')
    expect(ptBR.login.password).toBe('Senha')
    expect(ptBR.login.submit).not.toBe(en.login.submit)
    expect(ptBR.inbox.unread(2)).toBe('2 mensagens não lidas')
    expect(en.inbox.unread(1)).toBe('1 unread message')
  })
})
