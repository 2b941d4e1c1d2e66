import { describe, expect, it } from 'vitest'
import { resolveClientAddress } from './client-address.js'

describe('client address', () => {
  it('ignores X-Forwarded-For unless a proxy is trusted', () => {
    expect(resolveClientAddress('203.0.113.7', '198.51.100.1', null)).toBe('203.0.113.7')
    expect(resolveClientAddress('::ffff:203.0.113.7', undefined, { hops: 1 })).toBe('203.0.113.7')
  })

  it('reads one entry from the right per trusted hop, never further', () => {
    const header = '1.1.1.1, 198.51.100.1, 10.0.0.2'
    expect(resolveClientAddress('10.0.0.1', header, { hops: 1 })).toBe('10.0.0.2')
    expect(resolveClientAddress('10.0.0.1', header, { hops: 2 })).toBe('198.51.100.1')
    expect(resolveClientAddress('10.0.0.1', '198.51.100.1', { hops: 3 })).toBe('198.51.100.1')
    expect(resolveClientAddress('10.0.0.1', 'garbage, 198.51.100.1', { hops: 2 })).toBe(
      '198.51.100.1',
    )
  })

  it('with a list, reads the header only from listed proxies, up to the first address not listed', () => {
    const trust = { addresses: ['10.0.0.1', '10.0.0.2'] }
    // A client that spoofs the header, proxied by nginx (which appends the address it saw).
    expect(resolveClientAddress('10.0.0.1', '1.2.3.4, 198.51.100.1', trust)).toBe('198.51.100.1')
    expect(resolveClientAddress('10.0.0.1', '198.51.100.1, 10.0.0.2', trust)).toBe('198.51.100.1')
    // Not through a listed proxy: the header is the client's own word and is ignored.
    expect(resolveClientAddress('203.0.113.7', '1.2.3.4', trust)).toBe('203.0.113.7')
  })
})
