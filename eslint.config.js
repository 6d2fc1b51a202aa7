// Layer rules (imports point downwards only): core <- platform <- workers/cli <- ui.
// Import cycles are refused by scripts/check-cycles.ts (npm run cycles, part of npm run check).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const noPlatformInCore = {
  patterns: [
    { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'url', 'crypto'], message: 'src/core is platform-free: use a port.' },
    { group: ['react', 'react-dom', 'react/*', 'idb', 'comlink', 'playwright-core', 'webgpu'], message: 'src/core is platform-free.' },
    { group: ['@tensorflow/tfjs-backend-*'], message: 'Backends are chosen at the entry points (worker, CLI), never in core.' },
    { group: ['**/platform/**', '**/ui/**', '**/cli/**', '**/workers/**'], message: 'src/core must not import upper layers.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'runs/**', 'public/**', 'bin/**', 'scratch/**', '.gpubench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['src/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', noPlatformInCore] } },
  {
    files: ['src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/ui/**', '**/cli/**', '**/workers/**', 'react', 'react-dom'], message: 'platform sits below ui, cli and workers.' }] },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/ui/**', '**/workers/**', '**/platform/browser/**', 'react', 'react-dom'], message: 'The runner sits beside the page, not above it.' },
            { group: ['@tensorflow/tfjs-backend-*'], message: 'Backends are chosen by src/platform/node/backend.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['workers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/ui/**', '**/cli/**', '**/platform/node/**', 'node:*', 'react', 'react-dom'],
              message: 'The worker serves the lab in the browser: core and platform/browser only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path'], message: 'The page has no Node built-ins.' },
            { group: ['@tensorflow/*'], message: 'The UI thread only renders: tensors live in the worker.' },
            { group: ['**/cli/**', '**/platform/node/**'], message: 'The page cannot use the Node runner.' },
          ],
        },
      ],
    },
  },
);
