/**
 * CSV as RFC 4180 has it (comma separated, CRLF line ends, fields with a comma, quote or line
 * break quoted, quotes doubled), with a UTF-8 byte order mark so spreadsheets read accents right.
 * Text that a spreadsheet would run as a formula (=, +, -, @, tab or CR first) gets a leading
 * apostrophe: agent names are typed by people.
 */
export type CsvValue = string | number | null

const FORMULA = /^[=+\-@\t\r]/

function field(value: CsvValue): string {
  if (value === null) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  const text = FORMULA.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(field).join(','))
  return '\uFEFF' + lines.join('\r\n') + '\r\n'
}
