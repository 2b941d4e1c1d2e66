import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response'
import { Hono } from 'hono'
import { describe, expect, test } from 'vitest'
import { LOCKED_DOWN_CSP, securityHeaders } from './security-headers.js'

function app(): Hono {
  const app = new Hono()
  app.use('*', securityHeaders())
  app.onError((_error, c) => c.json({ error: { code: 'internal' } }, 500))
  app.get('/json', (c) => c.json({ ok: true }))
  app.get('/sandboxed', (c) =>
    c.body('<p>file</p>', 200, {
      'Content-Type': 'text/html',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'X-Frame-Options': 'SAMEORIGIN',
    }),
  )
  app.get('/fails', () => {
    throw new Error('boom')
  })
  app.get('/written', () => RESPONSE_ALREADY_SENT)
  return app
}

describe('securityHeaders', () => {
  test('every answer gets the hardening headers and a policy that allows nothing', async () => {
    for (const path of ['/json', '/fails', '/missing']) {
      const response = await app().request(path)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
      expect(response.headers.get('x-frame-options')).toBe('DENY')
      expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin')
      expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin')
      expect(response.headers.get('content-security-policy')).toBe(LOCKED_DOWN_CSP)
      expect(response.headers.get('strict-transport-security')).toBeNull()
    }
  })

  test('keeps the headers a route set itself', async () => {
    const response = await app().request('/sandboxed')
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })

  test('Strict-Transport-Security only over https', async () => {
    const direct = await app().request('https://atende.test/json')
    expect(direct.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/)
    const proxied = await app().request('/json', { headers: { 'x-forwarded-proto': 'https' } })
    expect(proxied.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/)
  })

  test('leaves a response the web app wrote itself alone', async () => {
    await app().request('/written')
    expect(RESPONSE_ALREADY_SENT.headers.get('x-content-type-options')).toBeNull()
    expect(RESPONSE_ALREADY_SENT.headers.get('content-security-policy')).toBeNull()
  })
})
