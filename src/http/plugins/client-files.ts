/**
 * The built browser files. Content-hashed assets are cached for a year; the service worker, the
 * embed loader and the manifest keep fixed URLs, so they are always revalidated.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { CLIENT_DIST } from '../pages/client-assets.ts';
import { DOCUMENT_HEADERS } from './security-headers.ts';

export const clientFiles: FastifyPluginAsync<{ root?: string }> = async (app, { root = CLIENT_DIST }) => {
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: false,
    // The dashboard's HTML is served by its route; Vite's manifest is internal.
    allowedPath: (pathname) => !pathname.startsWith('/.vite') && !pathname.startsWith('/admin/'),
    setHeaders: (res, path) => {
      const hashed = path.includes('/assets/');
      res.header(
        'cache-control',
        hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
      );
      if (path.endsWith('/sw.js')) res.header('service-worker-allowed', '/');
      // An SVG opened on its own is a document that could run script.
      if (path.endsWith('.svg')) for (const [name, value] of Object.entries(DOCUMENT_HEADERS)) res.header(name, value);
    },
  });
};
