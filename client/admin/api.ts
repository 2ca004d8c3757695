/**
 * The dashboard's view of the Stop Press HTTP API: one typed function per endpoint it uses, and
 * one error type for everything that can go wrong, so the UI shows every failure the same way.
 */
import type { ScheduledUpdate } from '../../src/domain/scheduled-update.ts';
import type { Story } from '../../src/domain/story.ts';
import type { Update } from '../../src/domain/update.ts';
import { editorAdminApi, type EditorAccount } from './editors-api.ts';

/** `code` is the API's error code, or NETWORK_ERROR when no answer arrived at all. */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly code: string,
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }

  /** Whether the server may have acted on the request anyway (no answer, or a server fault). */
  get outcomeUnknown(): boolean {
    return this.status === null || this.status >= 500;
  }
}

export interface Accepted {
  id: string;
  storyId: string;
  status: 'queued' | 'scheduled' | 'cancelled';
  opId: string;
  publishAt?: string;
}

import type { DeliveryStats } from '../../src/shared/delivery-stats.ts';
import { uploadPhoto, type PhotoFields } from './media-api.ts';

export type { DeliveryStats };

export interface UpdatesPage {
  updates: Update[];
  next: string | null;
  lastSeq: number;
  epoch: string;
}

export interface NewStory {
  title: string;
  summary?: string;
  slug?: string;
}

export interface NewUpdate {
  id: string;
  title: string | null;
  body: string;
  pinned: boolean;
  keyEvent: boolean;
  notify: boolean;
  breaking: boolean;
  /** Editor names for the byline; absent: the editor posting. */
  authors?: string[];
  /** Publish later (ISO with an offset); absent: now. */
  publishAt?: string;
}

export type UpdateChanges = Partial<Pick<Update, 'title' | 'body' | 'pinned' | 'keyEvent'>> & { publishAt?: string };

/** The signed-in account (`GET /api/me`): name, role and byline. */
export type Me = EditorAccount;

export type StoryChanges = Partial<Pick<Story, 'title' | 'summary' | 'keyPoints' | 'status'>>;

/** One alerted update of a story with its delivery counters (`GET /api/stories/:id/alerts`). */
export interface StoryAlert {
  updateId: string;
  breaking: boolean;
  at: string;
  delivery: DeliveryStats;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export async function request<T>(token: string | null, method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(
      'NETWORK_ERROR',
      'Could not reach the Stop Press server. Check your connection and try again.',
      null,
    );
  }
  const text = await response.text();
  const parsed = parseJson(text);
  if (response.ok) return parsed as T;
  const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
  throw new ApiError(
    error?.code ?? `HTTP_${response.status}`,
    error?.message ?? `The server answered ${response.status} ${response.statusText}`,
    response.status,
  );
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    // A proxy's HTML error page, for instance; the status still tells what happened.
    return null;
  }
}

const story = (id: string) => `/api/stories/${encodeURIComponent(id)}`;
const update = (storyId: string, updateId: string) => `${story(storyId)}/updates/${encodeURIComponent(updateId)}`;

export function createApi(token: string) {
  return {
    preview: (body: string) => request<{ html: string }>(token, 'POST', '/api/preview', { body }),
    listStories: () => request<{ stories: Story[]; next: string | null }>(token, 'GET', '/api/stories?limit=100'),
    getStory: (id: string) => request<Story>(token, 'GET', story(id)),
    createStory: (fields: NewStory) => request<Story>(token, 'POST', '/api/stories', fields),
    setStoryStatus: (id: string, status: Story['status']) => request<Accepted>(token, 'PATCH', story(id), { status }),
    patchStory: (id: string, changes: StoryChanges) => request<Accepted>(token, 'PATCH', story(id), changes),
    me: () => request<Me>(token, 'GET', '/api/me'),
    alerts: (storyId: string) => request<{ alerts: StoryAlert[] }>(token, 'GET', `${story(storyId)}/alerts`),
    readers: (id: string) => request<{ readers: number }>(token, 'GET', `${story(id)}/readers`),
    listUpdates: (storyId: string, before?: string) =>
      request<UpdatesPage>(
        token,
        'GET',
        `${story(storyId)}/updates?limit=50${before ? `&before=${encodeURIComponent(before)}` : ''}`,
      ),
    postUpdate: (storyId: string, fields: NewUpdate) =>
      request<Accepted>(token, 'POST', `${story(storyId)}/updates`, fields),
    editUpdate: (storyId: string, updateId: string, changes: UpdateChanges) =>
      request<Accepted>(token, 'PATCH', update(storyId, updateId), changes),
    deleteUpdate: (storyId: string, updateId: string) => request<Accepted>(token, 'DELETE', update(storyId, updateId)),
    listScheduled: (storyId: string) =>
      request<{ updates: ScheduledUpdate[] }>(token, 'GET', `${story(storyId)}/updates?status=scheduled`),
    delivery: (storyId: string, updateId: string) =>
      request<DeliveryStats>(token, 'GET', `${update(storyId, updateId)}/delivery`),
    uploadPhoto: (file: Blob, fields: PhotoFields) => uploadPhoto(token, file, fields),
    ...editorAdminApi((method, path, body) => request(token, method, path, body)),
  };
}

export type Api = ReturnType<typeof createApi>;

/** A token is good if `GET /api/me` accepts it; the answer says whose it is and what they may do. */
export function checkToken(token: string): Promise<Me> {
  return createApi(token).me();
}
