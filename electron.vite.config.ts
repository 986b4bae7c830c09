import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Three bundles, split by where the code runs (see README "Architecture"):
// main (Node + Electron), preload (sandboxed, CommonJS), renderer (browser only).
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: {
          index: resolve('src-main/electron/main.ts'),
          // Training runs in its own process (utilityProcess under Electron).
          'train-worker': resolve('src-main/core/train/worker-entry.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: { index: resolve('src-main/electron/preload.ts') },
        // sandbox: true only loads CommonJS preloads.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src-renderer'),
    resolve: { alias: { '@common': resolve('src-main/common') } },
    plugins: [svelte()],
    build: { rollupOptions: { input: { index: resolve('src-renderer/index.html') } } },
  },
});
