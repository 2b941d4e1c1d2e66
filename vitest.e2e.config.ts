import { defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

/**
 * Browser journeys (e2e/): each file starts a real server on the built app and drives Chromium.
 * Files run one at a time (each has its own server and browser); timeouts allow for a cold start.
 * Run with `npm run test:e2e`, which builds the app first.
 */
export default defineConfig({
  // @atende/shared from its TypeScript source (the `source` export condition), as in vite.config.ts:
  // nothing needs building first, and a stale shared/dist is never read.
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  test: {
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
