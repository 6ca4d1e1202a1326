import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import globals from 'globals';

const lazyLibraries = [
  { name: '@mlc-ai/web-llm', message: 'Import it lazily with import() (or import type): it is 6.8 MB.', allowTypeImports: true },
  { name: '@huggingface/transformers', message: 'Import it lazily with import() inside a worker (or import type).', allowTypeImports: true },
];

/** The import rule of ARCHITECTURE.md: a folder of src/ may not import the folders named. */
const layer = (folder, forbidden) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: lazyLibraries,
        patterns: [{ regex: `^(\\.\\./)+(${forbidden.join('|')})/`, message: `src/${folder}/ may not import ${forbidden.join(', ')} (see ARCHITECTURE.md).` }],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/', 'storybook-static/', 'node_modules/', 'test/fixtures/', 'custom-elements.json', 'coverage/', 'bench-data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  wcConfigs['flat/recommended'],
  litConfigs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: lazyLibraries,
        },
      ],
    },
  },
  layer('engine', ['audio', 'note', 'chat', 'visits', 'session', 'elements']),
  layer('audio', ['note', 'chat', 'visits', 'session', 'elements']),
  layer('note', ['chat', 'visits', 'session', 'elements']),
  layer('session', ['chat', 'visits', 'engine', 'elements']),
  layer('chat', ['visits', 'elements']),
  layer('visits', ['chat', 'engine', 'elements']),
  layer('errors', ['engine', 'audio', 'note', 'chat', 'visits', 'session', 'elements']),
  {
    files: ['test/**', 'stories/**', 'tools/**', 'demo/**', '*.mjs', '.storybook/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.mocha } },
    rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['src/engine/workers/webllm.worker.ts'],
    // The worker entry is itself loaded lazily (only when WebLLM is chosen).
    rules: { 'no-restricted-imports': 'off' },
  },
);
