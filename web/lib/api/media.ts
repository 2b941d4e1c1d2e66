/**
 * Where the browser fetches a message's file: our own authenticated media route (the session
 * cookie goes with it), never a WhatsApp URL.
 */
export function mediaUrl(mediaId: string, options: { download?: boolean } = {}): string {
  return `/api/media/${encodeURIComponent(mediaId)}${options.download ? '?download=1' : ''}`
}
