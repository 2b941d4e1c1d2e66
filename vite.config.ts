import { sveltekit } from '@sveltejs/kit/vite'
import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [sveltekit()],
  // The web app and every test take @atende/shared from its TypeScript source, through the
  // `source` export condition of shared/package.json; only the production server uses shared/dist.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3001',
      '/healthz': 'http://127.0.0.1:3001',
      '/webhooks': 'http://127.0.0.1:3001',
      '/sync': { target: 'ws://127.0.0.1:3001', ws: true },
    },
  },
  test: {
    include: [
      'shared/src/**/*.test.ts',
      'sync-server/src/**/*.test.ts',
      'sync-server/test/**/*.test.ts',
      'web/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
