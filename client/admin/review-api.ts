/**
 * The review step's part of the HTTP API: who is signed in, the held submissions, and the
 * editor's approve and reject. (A contributor submits through the usual POST; api.ts.)
 */
import type { ApproveBody, Submission } from '../../src/domain/submission.ts';
import { request, type Accepted } from './api.ts';

export type { Submission };
export type Role = 'admin' | 'editor' | 'contributor';
export type HeldState = 'pending' | 'rejected';

const updates = (storyId: string) => `/api/stories/${encodeURIComponent(storyId)}/updates`;
const one = (storyId: string, id: string) => `${updates(storyId)}/${encodeURIComponent(id)}`;

export function createReviewApi(token: string) {
  return {
    me: () => request<{ name: string; role: Role }>(token, 'GET', '/api/me'),
    /** Editors get every submission in that state; a contributor gets their own. */
    list: async (storyId: string, state: HeldState) =>
      (await request<{ submissions?: Submission[] }>(token, 'GET', `${updates(storyId)}?status=${state}`))
        .submissions ?? [],
    approve: (storyId: string, id: string, edits: ApproveBody) =>
      request<Accepted>(token, 'POST', `${one(storyId, id)}/approve`, edits),
    reject: (storyId: string, id: string, note: string) =>
      request<Submission>(token, 'POST', `${one(storyId, id)}/reject`, { note }),
    /** The contributor's edit; a rejected submission goes back to the queue. */
    resubmit: (storyId: string, id: string, fields: { title: string | null; body: string }) =>
      request<unknown>(token, 'PATCH', one(storyId, id), fields),
    withdraw: (storyId: string, id: string) => request<unknown>(token, 'DELETE', one(storyId, id)),
  };
}

export type ReviewApi = ReturnType<typeof createReviewApi>;
