import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import layers from './scripts/eslint-plugin-layers.js';

export default tseslint.config(
  { ignores: ['out/', 'node_modules/', 'build/', 'native/build/', 'test-artifacts/', '.e2e/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // No `any` at module boundaries (issue guidance); local casts stay explicit.
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Imports go toward common only (scripts/lib/layers.js holds the table).
    files: ['src-main/**/*.ts', 'src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    plugins: { layers },
    rules: { 'layers/imports': 'error' },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // Maps/Sets built and consumed inside one $derived computation are plain locals, not reactive state;
      // reactive collections here are replaced wholesale ($state), never mutated.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
);
