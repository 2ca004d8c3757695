/**
 * The photos' metadata in Redis, one JSON string per id, so that any API node or worker can turn a
 * media URL in an update's Markdown into a figure with its size, caption and credit.
 */
import type { RedisClient } from '../redis/connections.ts';
import type { Keys } from '../store/keys.ts';
import { mediaIdOfUrl, mediaIdsIn, type MediaLookup, type MediaRecord } from './media-record.ts';

export interface MediaCatalogue {
  save(record: MediaRecord): Promise<void>;
  get(id: string): Promise<MediaRecord | null>;
  /** A lookup holding the records of every media URL the Markdown names. */
  lookupFor(markdown: string): Promise<MediaLookup>;
}

function parseRecord(json: string | null): MediaRecord | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as MediaRecord;
  } catch {
    return null;
  }
}

export function createMediaCatalogue(redis: RedisClient, keys: Keys): MediaCatalogue {
  return {
    async save(record) {
      await redis.set(keys.media(record.id), JSON.stringify(record));
    },
    async get(id) {
      return parseRecord(await redis.get(keys.media(id)));
    },
    async lookupFor(markdown) {
      const ids = mediaIdsIn(markdown);
      const records = new Map<string, MediaRecord>();
      // One GET each rather than MGET: the keys are in different slots on Redis Cluster.
      const found = await Promise.all(ids.map((id) => redis.get(keys.media(id))));
      found.forEach((json, index) => {
        const record = parseRecord(json);
        if (record) records.set(ids[index]!, record);
      });
      return (url) => {
        const id = mediaIdOfUrl(url);
        return id ? records.get(id) : undefined;
      };
    },
  };
}
