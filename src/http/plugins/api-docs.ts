/**
 * The OpenAPI document, made from the route schemas, and Swagger UI at /docs. Not encapsulated:
 * swagger must see every route registered after it.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DOCUMENT_HEADERS_BUT_CSP } from './security-headers.ts';

async function apiDocsPlugin(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: 'Stop Press API', version: '0.1.0', description: 'Live-update feeds for newsrooms' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  // Swagger UI needs inline styles; its own CSP for its static files allows just that.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    uiHooks: {
      onRequest: (_request, reply, done) => {
        reply.headers(DOCUMENT_HEADERS_BUT_CSP);
        done();
      },
    },
  });
}

export const apiDocs = fp(apiDocsPlugin, { name: 'api-docs' });
