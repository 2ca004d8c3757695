/**
 * The story-ops processor: applies one job to the story's log through the store's Lua scripts
 * (atomic, idempotent by opId) and publishes the resulting event on the story's sharded channel
 * to the API nodes that serve its readers (src/realtime/story-publisher.ts). A retried job that was already applied publishes its stored event
 * again; readers drop the duplicate by seq.
 */
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import type { StoryEvent } from '../src/domain/events.ts';
import { renderKeyPoints } from '../src/domain/key-points.ts';
import type { EmbedRenderOptions } from '../src/domain/embed-cards.ts';
import { renderMarkdown } from '../src/domain/markdown.ts';
import { FINAL_CODES, isAppError } from '../src/errors.ts';
import type { MediaCatalogue } from '../src/media/media-catalogue.ts';
import type { MediaLookup } from '../src/media/media-record.ts';
import type { QUEUES, StoryOpJob, UpdateOpJob } from '../src/queue/jobs.ts';
import type { StoryPublisher } from '../src/realtime/story-publisher.ts';
import type { JobProcessor } from '../src/queue/typed-queue.ts';
import type { BylineResolver } from '../src/store/bylines.ts';
import type { OpResult, StoryStore, UpdateOp } from '../src/store/story-store.ts';

export interface PublishDeps {
  store: StoryStore;
  publisher: StoryPublisher;
  logger: Logger;
  /** Photo metadata, so that a body naming one of our photos renders it as a figure. */
  media?: MediaCatalogue;
  /** Display names and titles for an update's authors, stored with it (src/store/bylines.ts says why). */
  bylines?: BylineResolver;
  /** The deployment's embed settings (which Mastodon instances' posts get "Load"), from its config. */
  embeds?: EmbedRenderOptions;
  /**
   * Resolves once the story's change is on REDIS_WAIT_REPLICAS replicas, and throws (retryably)
   * when it is not: no reader may see a seq that a failover would give to another update.
   */
  confirmReplicated?: (storyId: string) => Promise<void>;
  /** Called after each event is handed to Redis pub/sub (metrics, push fan-out). */
  onPublished?: (event: StoryEvent, job: StoryOpJob) => void | Promise<void>;
}

const OP_KIND = { 'update.create': 'create', 'update.edit': 'edit', 'update.delete': 'delete' } as const;

export function toUpdateOp(job: UpdateOpJob, media?: MediaLookup, embeds?: EmbedRenderOptions): UpdateOp {
  const fields: UpdateOp['fields'] = { ...job.fields };
  if (job.fields.body !== undefined) fields.html = renderMarkdown(job.fields.body, media, embeds);
  return {
    opId: job.opId,
    kind: OP_KIND[job.kind],
    updateId: job.updateId,
    at: job.acceptedAt,
    author: job.author,
    fields,
  };
}

export function createPublishProcessor(deps: PublishDeps): JobProcessor<typeof QUEUES.storyOps> {
  const { store, publisher, logger } = deps;

  async function apply(data: StoryOpJob): Promise<OpResult> {
    if (data.kind === 'story.patch') {
      return store.patchStory(data.storyId, {
        opId: data.opId,
        at: data.acceptedAt,
        author: data.author,
        fields: {
          ...data.fields,
          ...(data.fields.keyPoints !== undefined && { keyPointsHtml: renderKeyPoints(data.fields.keyPoints) }),
        },
      });
    }
    const body = data.fields.body;
    const media = body !== undefined && deps.media ? await deps.media.lookupFor(body) : undefined;
    const op = toUpdateOp(data, media, deps.embeds);
    if (data.authors && deps.bylines) op.fields.authors = await deps.bylines(data.authors);
    return store.applyUpdateOp(data.storyId, op);
  }

  return async function processStoryOp(job) {
    let result: OpResult;
    try {
      result = await apply(job.data);
    } catch (error) {
      // The catalogue says which errors no retry can fix (the story or update is gone); anything
      // else (Redis down, an edit that ran ahead of its create) is retried by BullMQ.
      if (isAppError(error) && FINAL_CODES.has(error.code)) {
        throw new UnrecoverableError(`${error.code}: ${error.message}`);
      }
      throw error;
    }
    if (result.event) {
      await deps.confirmReplicated?.(result.event.storyId);
      // Awaited: if Redis did not take it, the job fails and its retry publishes the stored event again.
      await publisher.publish(result.event);
      await deps.onPublished?.(result.event, job.data);
    }
    logger.debug({ jobId: job.id, outcome: result.outcome, seq: result.seq }, 'story op applied');
    return { outcome: result.outcome, seq: result.seq };
  };
}
