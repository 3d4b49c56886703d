import { defaultClientConditions, defineConfig } from 'vite';

/**
 * The playground is a static site: `vite build` writes dist/ with every script, style and
 * WebAssembly binary in it, and relative URLs (base './'), so any static host, under any path,
 * serves it with no network access at run time. Workspace packages are bundled from their
 * TypeScript sources (the "@gradlab/source" export condition), as the tests use them.
 */
export default defineConfig({
  base: './',
  resolve: { conditions: ['@gradlab/source', ...defaultClientConditions] },
  build: {
    target: 'es2022',
    // tfjs, vega and the MNIST digits are large by nature; each loads only when it is needed.
    chunkSizeWarningLimit: 25_000,
    rolldownOptions: {
      // The backend adapters import tfjs lazily, so that registering one costs nothing; the page
      // loads tfjs-core up front anyway, so those imports cannot be split off, as expected.
      checks: { ineffectiveDynamicImport: false },
    },
  },
});
