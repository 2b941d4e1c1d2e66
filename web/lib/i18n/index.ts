export { i18n } from './locale.svelte'
export { LOCALES, LOCALE_NAMES, isLocale, negotiateLocale, type Locale } from './locales'
export { formatFullTime, formatListTime, formatSince } from './format'
export type { Dictionary } from './en'
