/**
 * The current locale as a Svelte 5 rune store. A small hand-written typed dictionary plus this
 * store was chosen over paraglide: two locales and a few dozen strings do not need a compile step,
 * generated files or a Vite plugin, and `Dictionary` already makes a missing translation a type
 * error. Components read `i18n.m.<area>.<key>`; the read is reactive, so switching re-renders.
 */
import { browser } from '$app/environment'
import { DEFAULT_LOCALE, DICTIONARIES, isLocale, negotiateLocale, type Locale } from './locales'
import type { Dictionary } from './en'

const STORAGE_KEY = 'atende.locale'

function storedLocale(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    return isLocale(value) ? value : null
  } catch {
    // Storage can be unavailable (privacy modes); the browser's languages still apply.
    return null
  }
}

class LocaleStore {
  current = $state<Locale>(DEFAULT_LOCALE)
  /** The dictionary of the current locale. */
  m: Dictionary = $derived(DICTIONARIES[this.current])

  constructor() {
    if (!browser) return
    this.current = storedLocale() ?? negotiateLocale(navigator.languages ?? [navigator.language])
    document.documentElement.lang = this.current
  }

  /** Switches the app's language and remembers the choice on this device. */
  set(locale: Locale): void {
    this.current = locale
    if (!browser) return
    document.documentElement.lang = locale
    try {
      localStorage.setItem(STORAGE_KEY, locale)
    } catch {
      // Not remembered, but switched for this visit.
    }
  }
}

export const i18n = new LocaleStore()
