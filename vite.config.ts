import { sveltekit } from '@sveltejs/kit/vite'
import { defineConfig } from 'vitest/config'
import { fileURLToPath } from 'node:url'

const sharedSource = fileURLToPath(new URL('./shared/src/index.ts', import.meta.url))

export default defineConfig({
  plugins: [sveltekit()],
  resolve: {
    // Tests and the web app use shared's TypeScript source; only the production server uses dist.
    alias: { '@atende/shared': sharedSource },
  },
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
