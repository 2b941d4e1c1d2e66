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
    alias: {
      '@atende/shared': 'shared/src/index.ts',
    },
  },
}

export default config
