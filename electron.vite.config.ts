import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import type { Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Three bundles, split by where the code runs (see README "Architecture"):
// main (Node + Electron), preload (sandboxed, CommonJS), renderer (browser only).
// tfjs-core's gradients are a deep import of ESM files in a package Node treats as CommonJS: the CLI
// loads them through tsx; the built main process and trainer cannot, so they are bundled in. They
// register into tfjs's global registry, shared with the external @tensorflow/tfjs-core.
const GRADIENTS = '@tensorflow/tfjs-core/dist/register_all_gradients';
// (Rewritten to a file path in the importing module: a bare id would match the externalized deps first.)
const bundleTfjsGradients: Plugin = {
  name: 'bundle-tfjs-gradients',
  enforce: 'pre',
  transform: (code) =>
    code.includes(`'${GRADIENTS}'`)
      ? code.replaceAll(`'${GRADIENTS}'`, JSON.stringify(resolve('node_modules', `${GRADIENTS}.js`)))
      : null,
};

export default defineConfig({
  main: {
    plugins: [bundleTfjsGradients, externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: {
          index: resolve('src-main/electron/main.ts'),
          // Training runs in its own process (utilityProcess under Electron).
          'train-worker': resolve('src-main/core/train/worker-entry.ts'),
          // Decoding for the playground and comparisons runs in its own process too (core/inference).
          'inference-worker': resolve('src-main/core/inference/worker-entry.ts'),
          // Slow dataset work (filter previews, versions, diffs) runs in a worker thread (core/data/dataset-worker).
          'dataset-worker': resolve('src-main/core/data/dataset-worker-entry.ts'),
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
    // No plugin-timing report: `npm start` and `workbench serve` may build on first use, and should print one line.
    build: {
      rollupOptions: { input: { index: resolve('src-renderer/index.html') }, checks: { pluginTimings: false } },
    },
  },
});
