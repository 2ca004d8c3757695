/** The routes that take a body, each with a body it would accept, and ways to spoil that body. */
import { jsonReq, type RawBody, type Req } from './requests.ts';
import { PLAIN, PUBLIC_ENDPOINT, SEEDED_ENDPOINT, type Ctx } from './setup.ts';

export interface BodyRoute {
  label: string;
  method: string;
  path: (c: Ctx) => string;
  /** Admin token for routes behind auth; null for the public push routes. */
  token: (c: Ctx) => string | null;
  /** A body the route accepts (2xx); null for DELETE of an update, which takes none. */
  valid: ((c: Ctx) => Record<string, unknown>) | null;
  /** The status of the valid request. */
  accepted: number;
}

export const storyPath = (c: Ctx) => `/api/stories/${c.storyId}`;
export const updatePath = (c: Ctx, id = PLAIN) => `/api/stories/${c.storyId}/updates/${id}`;
const admin = (c: Ctx) => c.admin;
const publicRoute = () => null;

export const POST_STORY: BodyRoute = {
  label: 'POST /api/stories',
  method: 'POST',
  path: () => '/api/stories',
  token: admin,
  accepted: 201,
  valid: () => ({ title: 'Planted story', slug: 'planted-story', summary: 'Planted' }),
};
export const PATCH_STORY: BodyRoute = {
  label: 'PATCH /api/stories/:id',
  method: 'PATCH',
  path: storyPath,
  token: admin,
  accepted: 202,
  valid: () => ({ title: 'Renamed by an attacker', summary: 'Changed' }),
};
export const POST_UPDATE: BodyRoute = {
  label: 'POST /api/stories/:id/updates',
  method: 'POST',
  path: (c) => `${storyPath(c)}/updates`,
  token: admin,
  accepted: 202,
  valid: () => ({ id: 'planted-update', title: 'Planted', body: 'Planted **update**', keyEvent: true, notify: false }),
};
export const PATCH_UPDATE: BodyRoute = {
  label: 'PATCH /api/stories/:id/updates/:updateId',
  method: 'PATCH',
  path: (c) => updatePath(c),
  token: admin,
  accepted: 202,
  valid: () => ({ title: 'Edited', body: 'Edited by an attacker', keyEvent: false }),
};
export const DELETE_UPDATE: BodyRoute = {
  label: 'DELETE /api/stories/:id/updates/:updateId',
  method: 'DELETE',
  path: (c) => updatePath(c),
  token: admin,
  accepted: 202,
  valid: null,
};
export const PREVIEW: BodyRoute = {
  label: 'POST /api/preview',
  method: 'POST',
  path: () => '/api/preview',
  token: admin,
  accepted: 200,
  valid: () => ({ body: 'Preview **this**' }),
};
export const POST_EDITOR: BodyRoute = {
  label: 'POST /api/editors',
  method: 'POST',
  path: () => '/api/editors',
  token: admin,
  accepted: 201,
  valid: () => ({ name: 'mallory', role: 'admin' }),
};
export const SUBSCRIBE: BodyRoute = {
  label: 'POST /api/push/subscriptions',
  method: 'POST',
  path: () => '/api/push/subscriptions',
  token: publicRoute,
  accepted: 201,
  valid: (c) => ({
    subscription: { endpoint: PUBLIC_ENDPOINT, expirationTime: null, keys: c.keys },
    topics: [`story:${c.storyId}`, 'breaking'],
  }),
};
export const UNSUBSCRIBE: BodyRoute = {
  label: 'DELETE /api/push/subscriptions',
  method: 'DELETE',
  path: () => '/api/push/subscriptions',
  token: publicRoute,
  accepted: 204,
  valid: () => ({ endpoint: SEEDED_ENDPOINT }),
};

/** Routes whose body has a schema. */
export const SCHEMA_ROUTES = [
  POST_STORY,
  PATCH_STORY,
  POST_UPDATE,
  PATCH_UPDATE,
  PREVIEW,
  POST_EDITOR,
  SUBSCRIBE,
  UNSUBSCRIBE,
];
/** Every route that reads a JSON body when one is sent, DELETE of an update included. */
export const BODY_ROUTES = [...SCHEMA_ROUTES, DELETE_UPDATE];

export function routeReq(route: BodyRoute, c: Ctx, body: RawBody, headers: Record<string, string> = {}): Req {
  return jsonReq(route.method, route.path(c), body, route.token(c), headers);
}

export function validBody(route: BodyRoute, c: Ctx): Record<string, unknown> {
  if (!route.valid) throw new Error(`${route.label} takes no body`);
  return route.valid(c);
}

/** A deep copy of the route's valid body with one property (a dotted path) set, or removed. */
export function mutated(
  route: BodyRoute,
  c: Ctx,
  path: string,
  value: unknown,
  remove = false,
): Record<string, unknown> {
  const body = structuredClone(validBody(route, c));
  const parts = path.split('.');
  let target = body;
  for (const part of parts.slice(0, -1)) target = target[part] as Record<string, unknown>;
  if (remove) delete target[parts.at(-1)!];
  else target[parts.at(-1)!] = value;
  return body;
}
