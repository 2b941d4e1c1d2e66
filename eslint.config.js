import js from '@eslint/js'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import ts from 'typescript-eslint'
import svelteConfig from './svelte.config.js'

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
    // Scripts, benchmarks and test harnesses talk to a terminal; the browser's handleError logs.
    files: ['scripts/**', 'bench/**', 'e2e/run.js', '.ci/**', 'web/lib/errors.ts'],
    rules: { 'no-console': 'off' },
  },
)
