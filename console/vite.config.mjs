// The console's build: Preact's JSX, served by the gateways under /console from bundle/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  resolve: {
    alias: {
      '@p2p-escrow/proof-verifier': fileURLToPath(new URL('../proof-verifier/src/index.ts', import.meta.url)),
    },
  },
  build: { outDir: 'bundle', emptyOutDir: true, sourcemap: true },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
