import adapter from '@sveltejs/adapter-node'
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte'

/**
 * The SvelteKit app lives in `web/`; this root config points Kit's files there so the whole
 * repository is one SvelteKit project plus the `shared` and `sync-server` workspaces.
 * @type {import('@sveltejs/kit').Config}
 */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
    // Absolute asset paths: the HTML shell is then the same for every URL, so the service worker
    // can answer any deep link (/inbox/<id>) offline with its one cached copy.
    paths: { relative: false },
    // The pages' Content-Security-Policy. SvelteKit sends it as a header (pages are served, not
    // prerendered) with the sha256 of its own inline bootstrap script added to script-src, so no
    // other inline script runs. The rest of the security headers come from the server
    // (sync-server/src/http/middleware/security-headers.ts).
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        // Inline styles stay allowed: Svelte transitions and `style:` directives, Chart.js and the
        // emoji picker set them at run time, and web/app.html wraps the body in
        // `<div style="display: contents">`. Styles cannot run script, and img-src/font-src keep
        // any request a style makes on our origin.
        'style-src': ['self', 'unsafe-inline'],
        // data: for small images Vite inlines; blob: for attachment previews.
        'img-src': ['self', 'data:', 'blob:'],
        // blob: for voice notes being recorded or previewed.
        'media-src': ['self', 'blob:'],
        // 'self' covers the same-origin ws:/wss: sync socket (CSP Level 3).
        'connect-src': ['self'],
        'worker-src': ['self'],
        'font-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
    files: {
      src: 'web',
      assets: 'web/static',
      lib: 'web/lib',
      routes: 'web/routes',
      params: 'web/params',
      appTemplate: 'web/app.html',
      errorTemplate: 'web/error.html',
      serviceWorker: 'web/service-worker',
      hooks: {
        client: 'web/hooks.client',
        server: 'web/hooks.server',
        universal: 'web/hooks',
      },
    },
  },
}

export default config
