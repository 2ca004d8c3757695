/**
 * JSON bodies, parsed with secure-json-parse (as Fastify does) but with errors that say what was
 * wrong: not JSON at all, or JSON carrying a prototype-poisoning key.
 */
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { appError } from '../errors.ts';

const POISON = /prototype property|constructor property/i;
/** Deeper than any body we accept; refusing early keeps hostile nesting cheap. */
const MAX_DEPTH = 16;
// Unpaired UTF-16 surrogates cannot be stored as UTF-8; C0 controls (but tab and newlines) have no place in text.
const BAD_TEXT =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Why a parsed body is unacceptable whatever the route, or null. */
export function hostileJson(value: unknown, depth = 0): string | null {
  if (depth > MAX_DEPTH) return `JSON nested deeper than ${MAX_DEPTH} levels`;
  if (typeof value === 'string')
    return BAD_TEXT.test(value) ? 'text with control characters or unpaired surrogates' : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const problem =
      (BAD_TEXT.test(key) ? 'a key with control characters or unpaired surrogates' : null) ??
      hostileJson(item, depth + 1);
    if (problem) return problem;
  }
  return null;
}

export function useJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '')
      return done(appError('INVALID_JSON', 'The request body is empty; send a JSON object'), undefined);
    try {
      const value: unknown = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
      const problem = hostileJson(value);
      if (problem) return done(appError('BAD_REQUEST', `The request body has ${problem}`), undefined);
      done(null, value);
    } catch (error) {
      const poisoned = error instanceof Error && POISON.test(error.message);
      done(
        poisoned
          ? appError('BAD_REQUEST', 'JSON bodies may not contain __proto__ or constructor.prototype keys')
          : appError('INVALID_JSON'),
        undefined,
      );
    }
  });
}
