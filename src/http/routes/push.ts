/** Web Push: the VAPID public key, reader subscriptions, and an update's delivery counters. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { appError } from '../../errors.ts';
import type { AlertIndex } from '../../push/alert-index.ts';
import type { DeliveryStore } from '../../push/delivery-store.ts';
import { checkPushEndpoint } from '../../push/endpoint-guard.ts';
import {
  checkSubscriptionKeys,
  PushSubscriptionBody,
  PushUnsubscribeBody,
} from '../../push/push-subscription-schema.ts';
import type { SubscriptionStore } from '../../push/subscription-store.ts';
import type { StoryStore } from '../../store/story-store.ts';
import { errorResponses, UpdateParams, type RouteApp } from '../schemas.ts';

export interface PushRoutesDeps {
  publicKey: string;
  store: StoryStore;
  subscriptions: SubscriptionStore;
  delivery: DeliveryStore;
  /** Which updates were alerted (read by story-alerts.ts). */
  alerts: AlertIndex;
  endpointAllowlist: readonly string[];
  /** Subscription writes per IP per minute. */
  subscribeRatePerMinute: number;
}

function publicKeyRoute(app: RouteApp, deps: PushRoutesDeps): void {
  app.get(
    '/push/public-key',
    {
      schema: {
        tags: ['push'],
        summary: 'The VAPID public key for PushManager.subscribe',
        response: { 200: Type.Object({ publicKey: Type.String() }) },
      },
    },
    async () => ({ publicKey: deps.publicKey }),
  );
}

/** Subscribe and unsubscribe, both rate-limited per IP. */
function subscriptionRoutes(app: RouteApp, deps: PushRoutesDeps): void {
  const rateLimit = { max: deps.subscribeRatePerMinute, timeWindow: 60_000 };

  app.post(
    '/push/subscriptions',
    {
      config: { rateLimit },
      schema: {
        tags: ['push'],
        summary: 'Subscribe a browser to alerts; the same endpoint again replaces its topics',
        body: PushSubscriptionBody,
        response: {
          201: Type.Object({ id: Type.String(), topics: Type.Array(Type.String()) }),
          ...errorResponses(400, 404, 413, 415, 429),
        },
      },
    },
    async (request, reply) => {
      const { subscription, topics } = request.body;
      checkSubscriptionKeys(subscription.keys);
      await checkPushEndpoint(subscription.endpoint, deps.endpointAllowlist);
      for (const topic of topics) {
        if (topic.startsWith('story:') && !(await deps.store.getStoryById(topic.slice('story:'.length)))) {
          throw appError('STORY_NOT_FOUND', `No such story for topic ${topic}`);
        }
      }
      const { id } = await deps.subscriptions.upsert(
        { endpoint: subscription.endpoint, p256dh: subscription.keys.p256dh, auth: subscription.keys.auth },
        topics,
      );
      return reply.status(201).send({ id, topics });
    },
  );

  app.delete(
    '/push/subscriptions',
    {
      config: { rateLimit },
      schema: {
        tags: ['push'],
        summary: 'Unsubscribe a browser (idempotent)',
        body: PushUnsubscribeBody,
        response: { 204: Type.Null(), ...errorResponses(400, 415, 429) },
      },
    },
    async (request, reply) => {
      await deps.subscriptions.removeByEndpoint(request.body.endpoint);
      return reply.status(204).send(null);
    },
  );
}

function deliveryRoute(app: RouteApp, deps: PushRoutesDeps): void {
  app.get(
    '/stories/:id/updates/:updateId/delivery',
    {
      onRequest: app.requireEditor,
      schema: {
        tags: ['push'],
        summary: "An update's alert delivery counters",
        security: [{ bearer: [] }],
        params: UpdateParams,
        response: {
          200: Type.Object({
            targeted: Type.Integer(),
            sent: Type.Integer(),
            failed: Type.Integer(),
            pruned: Type.Integer(),
            pending: Type.Integer(),
          }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request) => {
      const story = await deps.store.getStory(request.params.id);
      if (!story) throw appError('STORY_NOT_FOUND');
      return deps.delivery.stats(story.id, request.params.updateId);
    },
  );
}

export const pushRoutes: FastifyPluginAsyncTypebox<PushRoutesDeps> = async (app, deps) => {
  publicKeyRoute(app, deps);
  subscriptionRoutes(app, deps);
  deliveryRoute(app, deps);
};
