/**
 * The error catalogue says which errors a retry can fix. The worker (publish.worker.ts) and the
 * reader's StoryFeed decide from it, so this pins the derived set to the catalogue and to the
 * hand lists they had before: the codes each place can meet keep the answer they had.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, FINAL_CODES, isRetryable, type ErrorCode } from '../../src/errors.ts';

const codes = Object.keys(ERRORS) as ErrorCode[];

describe('the error catalogue', () => {
  it('says for every code whether it is retryable, and FINAL_CODES is exactly the ones that are not', () => {
    for (const code of codes) expect(typeof ERRORS[code].retryable, code).toBe('boolean');
    expect([...FINAL_CODES].sort()).toEqual(codes.filter((code) => !ERRORS[code].retryable).sort());
    for (const code of codes) expect(isRetryable(code), code).toBe(ERRORS[code].retryable);
  });

  it('calls the passing failures retryable: Redis away, a rate limit, an unknown failure', () => {
    expect(codes.filter((code) => ERRORS[code].retryable).sort()).toEqual(
      ['INTERNAL', 'RATE_LIMITED', 'UNAVAILABLE', 'UPDATE_NOT_FOUND'].sort(),
    );
  });

  it('keeps the worker as it was: a gone story or update is final, anything else is retried', () => {
    // The codes a story op can meet in the worker (the Lua scripts' errors and the store's reads).
    expect(FINAL_CODES.has('STORY_NOT_FOUND')).toBe(true);
    expect(FINAL_CODES.has('UPDATE_DELETED')).toBe(true);
    // An edit that ran ahead of its create waits for it.
    expect(FINAL_CODES.has('UPDATE_NOT_FOUND')).toBe(false);
    expect(FINAL_CODES.has('UNAVAILABLE')).toBe(false);
    expect(FINAL_CODES.has('INTERNAL')).toBe(false);
    // An error the catalogue does not know (a Redis error, a bug) is retried.
    expect(isRetryable('ECONNRESET')).toBe(true);
  });

  it('keeps the reader as it was: a malformed subscribe or a missing story is final, a busy server is retried', () => {
    for (const code of ['VALIDATION_FAILED', 'BAD_REQUEST', 'STORY_NOT_FOUND'])
      expect(FINAL_CODES.has(code)).toBe(true);
    for (const code of ['UNAVAILABLE', 'INTERNAL', 'RATE_LIMITED']) expect(FINAL_CODES.has(code)).toBe(false);
  });

  it('has no hand-written lists left beside it', () => {
    const worker = readFileSync(new URL('../../workers/publish.worker.ts', import.meta.url), 'utf8');
    const feed = readFileSync(new URL('../../client/lib/story-feed.ts', import.meta.url), 'utf8');
    for (const source of [worker, feed]) {
      expect(source).toContain('FINAL_CODES');
      expect(source).not.toMatch(/new Set\(\[\s*'[A-Z_]+'/);
    }
  });

  it('imports nothing, so the browser bundle can read it', () => {
    const source = readFileSync(new URL('../../src/errors.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^import /m);
  });
});
