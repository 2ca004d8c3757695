/**
 * The browser bundles: the reader page script, the editor dashboard, the service worker and the
 * embed loader. The service worker and the embed loader keep fixed names (their URLs are
 * public); everything else is content-hashed and listed in the manifest the server reads.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const here = import.meta.dirname;
const FIXED_NAMES = new Set(['sw', 'embed']);
const INCLUDE = /^([ \t]*)<!-- include: ([\w./-]+\.html) -->$/gm;

/**
 * `<!-- include: partials/x.html -->` on a line of its own is replaced by that file, indented
 * like the comment, so the dashboard's page stays one document built from files of one screen each.
 */
function htmlPartials(): Plugin {
  return {
    name: 'stoppress-html-partials',
    transformIndexHtml: {
      order: 'pre',
      handler: (html, { filename }) =>
        html.replace(INCLUDE, (_, indent: string, file: string) =>
          readFileSync(resolve(dirname(filename), file), 'utf8')
            .trimEnd()
            .split('\n')
            .map((line) => (line ? indent + line : line))
            .join('\n'),
        ),
    },
  };
}

export default defineConfig({
  root: here,
  publicDir: resolve(here, 'public'),
  base: '/',
  logLevel: 'warn',
  plugins: [htmlPartials()],
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
