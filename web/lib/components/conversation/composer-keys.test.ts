import { expect, test } from 'vitest'
import { enterIntent } from './composer-keys'

const plain = { shiftKey: false, isComposing: false, pickerOpen: false, highlighted: false }

test('Enter sends when no picker is open; Shift+Enter and input methods keep a new line', () => {
  expect(enterIntent(plain)).toBe('send')
  expect(enterIntent({ ...plain, shiftKey: true })).toBe('newline')
  expect(enterIntent({ ...plain, isComposing: true })).toBe('newline')
})

test('with a picker open, Enter picks the highlighted item and never sends', () => {
  expect(enterIntent({ ...plain, pickerOpen: true, highlighted: true })).toBe('pick')
  // "No canned responses yet": nothing to pick, and the "/" typed is not sent either.
  expect(enterIntent({ ...plain, pickerOpen: true, highlighted: false })).toBe('nothing')
})
