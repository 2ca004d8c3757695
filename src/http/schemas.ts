/** Route-level schemas shared by several routes: params, error body, paging. */
import type { IncomingMessage } from 'node:http';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest, FastifySchema, RawServerDefault, RouteGenericInterface } from 'fastify';
import { Type } from 'typebox';
import { ID_PATTERN } from '../domain/id-pattern.ts';
import { LIMITS } from '../domain/limits.ts';

/** The instance a route plugin gets: its route schemas type the requests. */
export type RouteApp = Parameters<FastifyPluginAsyncTypebox>[0];

/** The request a route with this schema gets (for a handler defined apart from its route). */
export type RouteRequest<Schema extends FastifySchema> = FastifyRequest<
  RouteGenericInterface,
  RawServerDefault,
  IncomingMessage,
  Schema,
  TypeBoxTypeProvider
>;

export const ErrorResponse = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});

export const StoryParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: LIMITS.slug, description: 'Story id or slug' }),
});

export const UpdateParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: LIMITS.slug, description: 'Story id or slug' }),
  updateId: Type.String({ pattern: ID_PATTERN }),
});

export const Cursor = Type.String({ pattern: '^\\d{1,16}$', description: 'The `next` value of the previous page' });

export const Accepted = Type.Object({
  id: Type.String(),
  storyId: Type.String(),
  status: Type.Union(
    [Type.Literal('queued'), Type.Literal('pending'), Type.Literal('scheduled'), Type.Literal('cancelled')],
    {
      description:
        "`queued`: published in a moment; `pending`: a contributor's update, held for review until an editor " +
        'approves it; `scheduled`: published at `publishAt`; `cancelled`: never',
    },
  ),
  opId: Type.String(),
  publishAt: Type.Optional(Type.String({ format: 'date-time' })),
});

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' })),
});

export function errorResponses(...statuses: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorResponse]));
}
