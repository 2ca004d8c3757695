import type { FastifyRequest } from 'fastify';
import { idFromIdempotencyKey, newId } from '../domain/ids.ts';

/**
 * The id that makes an operation idempotent: derived from the `Idempotency-Key` header when the
 * client sends one (scoped to the editor and the target, so keys of different clients never
 * collide), otherwise fresh.
 */
export function operationId(request: FastifyRequest, target: string): string {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key === '') return newId();
  return idFromIdempotencyKey(`${request.editor?.id ?? ''}\u0000${target}`, key);
}
