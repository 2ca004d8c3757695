/**
 * The JSON API under /api: its own CORS, 404 and cache policy around the feature route plugins.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { StoryOpsProducer } from '../../queue/story-ops-producer.ts';
import type { StoryEventHub } from '../../realtime/story-event-hub.ts';
import type { EditorStore } from '../../store/editor-store.ts';
import type { ReviewStore } from '../../store/review-store.ts';
import type { StoryStore } from '../../store/story-store.ts';
import type { CacheFront } from '../cache/cache-front.ts';
import type { CachedBody } from '../cache/cached-body.ts';
import type { HotCache } from '../cache/hot-cache.ts';
import { apiCors } from '../plugins/api-cors.ts';
import { answerNotFound } from '../plugins/error-handler.ts';
import { editorToolRoutes, type EditorToolsDeps } from './editor-tools.ts';
import { editorProfileRoutes } from './editor-profile.ts';
import { editorRoutes } from './editors.ts';
import { mediaUploadRoutes, type MediaUploadDeps } from './media-upload.ts';
import { eventRoutes } from './events.ts';
import { pushRoutes, type PushRoutesDeps } from './push.ts';
import { reviewRoutes } from './review.ts';
import type { ScheduledDeps } from './scheduled-updates.ts';
import { storyRoutes } from './stories.ts';
import { storyAlertRoutes } from './story-alerts.ts';
import { updateRoutes } from './updates.ts';
import type { EmbedRenderOptions } from '../../domain/embed-cards.ts';
import { renderAsPublished } from '../render-as-published.ts';

export interface ApiRoutesDeps {
  store: StoryStore;
  editors: EditorStore;
  /** Contributors' submissions awaiting review. */
  review: ReviewStore;
  producer: StoryOpsProducer;
  hub: StoryEventHub;
  maxPinned: number;
  replayMaxEvents: number;
  corsOrigins: readonly string[];
  push: Omit<PushRoutesDeps, 'store'>;
  countReaders: EditorToolsDeps['countReaders'];
  /** Serialized first pages of hot stories' updates. */
  updatesCache: HotCache<CachedBody>;
  front: CacheFront;
  /** Photo uploads: storage, metadata and the size limit. */
  media: MediaUploadDeps;
  /** Scheduled updates: their store and delayed jobs. */
  scheduling: ScheduledDeps;
  /** The deployment's embed settings, for the Markdown preview. */
  embeds?: EmbedRenderOptions;
}

export const apiRoutes: FastifyPluginAsync<ApiRoutesDeps> = async (api, deps) => {
  const { store, producer } = deps;
  // API answers are live data: a CDN or browser must not reuse them unless a route says so.
  // Set up front, not in an onSend hook: one of those costs ~18 % of a small answer's req/s.
  api.addHook('onRequest', (_request, reply, done) => {
    reply.header('cache-control', 'no-store');
    done();
  });
  await apiCors(api, { corsOrigins: deps.corsOrigins });
  api.setNotFoundHandler(answerNotFound);
  await api.register(storyRoutes, { store, producer });
  const render = renderAsPublished(deps.media.catalogue, deps.embeds);
  await api.register(updateRoutes, {
    store,
    producer,
    editors: deps.editors,
    maxPinned: deps.maxPinned,
    cache: deps.updatesCache,
    front: deps.front,
    review: deps.review,
    render,
    ...deps.scheduling,
  });
  await api.register(reviewRoutes, { store, producer, review: deps.review, maxPinned: deps.maxPinned });
  await api.register(eventRoutes, { store, hub: deps.hub, replayMaxEvents: deps.replayMaxEvents });
  await api.register(pushRoutes, { store, ...deps.push });
  await api.register(storyAlertRoutes, { store, alerts: deps.push.alerts, delivery: deps.push.delivery });
  await api.register(editorToolRoutes, { store, countReaders: deps.countReaders, render });
  await api.register(editorRoutes, { store, editors: deps.editors });
  await api.register(mediaUploadRoutes, deps.media);
  await api.register(editorProfileRoutes, { editors: deps.editors });
};
