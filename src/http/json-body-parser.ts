/**
 * JSON bodies, parsed with secure-json-parse (as Fastify does) but with errors that say what was
 * wrong: not JSON at all, or JSON carrying a prototype-poisoning key.
 */
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { appError } from '../errors.ts';

const POISON = /prototype property|constructor property/i;

export function useJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(appError('INVALID_JSON', 'The request body is empty; send a JSON object'), undefined);
    try {
      done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      const poisoned = error instanceof Error && POISON.test(error.message);
      done(poisoned
        ? appError('BAD_REQUEST', 'JSON bodies may not contain __proto__ or constructor.prototype keys')
        : appError('INVALID_JSON'), undefined);
    }
  });
}
