/**
 * The one place where errors become HTTP responses: `{ error: { code, message } }`.
 * AppErrors keep their catalogued status; Fastify's own errors are mapped to catalogue codes;
 * anything else is a 500 that names the request id and nothing internal.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, appError, isAppError, type ErrorCode } from '../../errors.ts';
import { isRedisUnavailable } from '../../redis/connections.ts';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_RATE_LIMIT: 'RATE_LIMITED',
};

function fromValidation(error: FastifyError): AppError {
  const first = error.validation?.[0];
  // JSON Schema counts characters; more characters than the byte limit is too many bytes too.
  if (error.validationContext === 'body' && first?.keyword === 'maxLength' && first.instancePath === '/body') {
    return appError('UPDATE_TOO_LARGE');
  }
  if (error.validationContext === 'body' && first?.keyword === 'maxLength' && first.instancePath === '/keyPoints') {
    return appError('KEY_POINTS_TOO_LARGE');
  }
  return appError(
    'VALIDATION_FAILED',
    `${error.validationContext ?? 'request'}: ${error.message.replace(/^(body|querystring|params|headers)\/?\s?/, '')}`,
  );
}

export function toAppError(error: FastifyError | Error): AppError {
  if (isAppError(error)) return error;
  if (isRedisUnavailable(error))
    return appError('UNAVAILABLE', 'The story store is unreachable right now; nothing was changed. Retry in a moment.');
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return fromValidation(fastifyError);
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return appError(mapped);
  if (error instanceof SyntaxError || fastifyError.statusCode === 400) return appError('BAD_REQUEST', error.message);
  if (fastifyError.statusCode === 413) return appError('PAYLOAD_TOO_LARGE');
  if (fastifyError.statusCode === 415) return appError('UNSUPPORTED_MEDIA_TYPE');
  return appError('INTERNAL');
}

async function errorHandlerPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appErr = toAppError(error);
    if (appErr.code === 'UNAVAILABLE') {
      request.log.warn({ err: error }, 'Redis unavailable');
      return reply.status(503).header('retry-after', '2').send({ error: appErr.toBody() });
    }
    if (appErr.status >= 500) {
      request.log.error({ err: error }, 'request failed');
      const message = appErr.code === 'INTERNAL' ? `Internal server error (request ${request.id})` : appErr.message;
      return reply.status(appErr.status).send({ error: { code: appErr.code, message } });
    }
    return reply.status(appErr.status).send({ error: appErr.toBody() });
  });

  app.setNotFoundHandler(answerNotFound);
}

/** Also the /api scope's own 404, so that it carries the scope's CORS headers. */
export function answerNotFound(request: FastifyRequest, reply: FastifyReply): void {
  reply
    .status(404)
    .send({ error: { code: 'NOT_FOUND', message: `No route for ${request.method} ${request.url.split('?')[0]}` } });
}

export const errorHandler = fp(errorHandlerPlugin, { name: 'error-handler' });
