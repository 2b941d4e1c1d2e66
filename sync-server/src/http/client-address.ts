/**
 * The client's address, for sign-in throttling and logs. Without `TRUST_PROXY` it is the socket's
 * peer and `X-Forwarded-For` is ignored (any client can write one). Behind proxies, the header is
 * read from the right, one hop per trusted proxy: with a hop count, that many entries; with a list
 * of proxy addresses, for as long as the hop is one of them. Entries further left were written by
 * someone we do not trust and are never read.
 */
import { isIP } from 'node:net'
import type { Context } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import { normalizeAddress, type TrustProxy } from '../config.js'

/** The address behind `peer` given its `X-Forwarded-For` header and whom we trust. */
export function resolveClientAddress(
  peer: string,
  forwardedFor: string | undefined,
  trust: TrustProxy,
): string {
  const nearest = normalizeAddress(peer)
  if (trust === null || !forwardedFor) return nearest
  // Nearest first: the peer, then what each proxy says it was connected to.
  const hops = forwardedFor.split(',').map(normalizeAddress).reverse()
  const chain = [nearest]
  for (const hop of hops) {
    if (isIP(hop) === 0) break // garbage: nothing beyond it can be read
    chain.push(hop)
  }
  if ('hops' in trust) return chain[Math.min(trust.hops, chain.length - 1)]!
  let index = 0
  while (index < chain.length - 1 && trust.addresses.includes(chain[index]!)) index++
  return chain[index]!
}

/** The request's client address (`unknown` outside @hono/node-server, as in `app.request`). */
export function clientAddress(c: Context, trust: TrustProxy): string {
  let peer: string | undefined
  try {
    peer = getConnInfo(c).remote.address
  } catch {
    peer = undefined
  }
  if (!peer) return 'unknown'
  return resolveClientAddress(peer, c.req.header('x-forwarded-for'), trust)
}
