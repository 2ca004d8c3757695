/**
 * The browser bundles: the reader page script, the editor dashboard, the service worker and the
 * embed loader. The service worker and the embed loader keep fixed names (their URLs are
 * public); everything else is content-hashed and listed in the manifest the server reads.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;
const FIXED_NAMES = new Set(['sw', 'embed']);

export default defineConfig({
  root: here,
  publicDir: resolve(here, 'public'),
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    manifest: true,
    target: 'es2020',
    rollupOptions: {
      input: {
        reader: resolve(here, 'reader/main.ts'),
        admin: resolve(here, 'admin/index.html'),
        sw: resolve(here, 'sw.ts'),
        embed: resolve(here, 'embed.ts'),
      },
      output: {
        entryFileNames: (chunk) => (FIXED_NAMES.has(chunk.name) ? '[name].js' : 'assets/[name]-[hash].js'),
      },
    },
  },
});
