import { en, type Dictionary } from './en'
import { ptBR } from './pt-br'

export const LOCALES = ['en', 'pt-BR'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'en'

export const DICTIONARIES: Record<Locale, Dictionary> = { en, 'pt-BR': ptBR }

/** Each language named in itself, as language pickers do, whatever the current locale. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'pt-BR': 'Português' }

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/**
 * Picks the first supported language from the browser's preference list (`navigator.languages`):
 * any Portuguese variant gets Brazilian Portuguese, any English variant English. Nothing matching
 * falls back to English.
 */
export function negotiateLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const language = tag.toLowerCase().split(/[-_]/)[0]
    if (language === 'pt') return 'pt-BR'
    if (language === 'en') return 'en'
  }
  return DEFAULT_LOCALE
}
