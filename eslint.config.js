import js from '@eslint/js'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import ts from 'typescript-eslint'
import svelteConfig from './svelte.config.js'

const HTTP_IMPORTS = {
  group: ['**/http/**'],
  message:
    'Dependencies point from http/ down, never up into it: move what both need out of http/.',
}

export default ts.config(
  {
    ignores: [
      'build/',
      '.svelte-kit/',
      '**/dist/',
      'node_modules/',
      'data/',
      'docs/',
      'test-results/',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Logging goes through sync-server/src/log.ts; the browser reports through handleError.
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        extraFileExtensions: ['.svelte'],
        parser: ts.parser,
        svelteConfig,
      },
    },
  },
  {
    // shared/ is the pure domain both sides import: no Node built-ins, no Svelte, no Hono.
    files: ['shared/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'shared/ runs in the browser too: no Node built-ins.' },
            {
              group: ['svelte', 'svelte/*', 'hono', 'hono/*', '@hono/*'],
              message: 'shared/ stays framework-free.',
            },
          ],
        },
      ],
    },
  },
  {
    // config.ts is the one reader of the environment; everything else gets its values passed in.
    files: ['sync-server/src/**/*.ts'],
    ignores: ['sync-server/src/config.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read settings in config.ts and pass them in.',
        },
      ],
    },
  },
  {
    // Server layering: http/ sits on top; sync/, lifecycle/ and store/ never reach up into it.
    // (whatsapp/ joins this list once its route files move under http/.)
    files: ['sync-server/src/{sync,lifecycle,store}/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [HTTP_IMPORTS] }],
    },
  },
  {
    // store/ is the bottom layer: what it needs from config or the logger is passed in. (Its tests
    // wire a real logger in, as main.ts does.)
    files: ['sync-server/src/store/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            HTTP_IMPORTS,
            {
              group: ['**/config*', '**/log*'],
              message: 'store/ takes what it needs from config and the logger as arguments.',
            },
          ],
        },
      ],
    },
  },
  {
    // Scripts, benchmarks and test harnesses talk to a terminal; the browser's handleError logs.
    files: ['scripts/**', 'bench/**', 'e2e/run.js', '.ci/**', 'web/lib/errors.ts'],
    rules: { 'no-console': 'off' },
  },
)
