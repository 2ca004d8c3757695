/** The dashboard's story settings checks: the same rules as the API, and its refusals mapped to fields. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../client/admin/api.ts';
import { checkSettings, fieldErrorOf } from '../../client/admin/story-settings.ts';
import { keyPointsProblem } from '../../src/domain/key-points.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { can } from '../../src/shared/roles.ts';

const values = (keyPoints: string, title = 'Title') => ({ title, summary: '', keyPoints });

describe('story settings checks', () => {
  it.each([
    ['- one\n- two', true],
    ['1. one\n2) two', true],
    ['- one\n\n  more about one\n- two', true],
    ['', true],
    ['A paragraph', false],
    ['- one\ncontinued lazily', true],
    ['- one\n\nthen a paragraph', false],
  ])('%j is a list: %s (and the API agrees)', (keyPoints, ok) => {
    expect(checkSettings(values(keyPoints)).keyPoints === undefined).toBe(ok);
    expect(keyPointsProblem(keyPoints) === null).toBe(ok);
  });

  it('asks for a title and counts the key points in UTF-8 bytes', () => {
    expect(checkSettings(values('', '  ')).title).toMatch(/title/);
    expect(checkSettings(values(`- ${'é'.repeat(LIMITS.keyPointsBytes / 2)}`)).keyPoints).toMatch(/Too long/);
  });

  it("maps the server's codes to the field they concern", () => {
    expect(fieldErrorOf(new ApiError('KEY_POINTS_TOO_LARGE', 'x', 413))).toHaveProperty('keyPoints');
    const notAList = new ApiError('VALIDATION_FAILED', 'body/keyPoints: must be a Markdown list', 400);
    expect(fieldErrorOf(notAList)?.keyPoints).toMatch(/as a list/);
    expect(fieldErrorOf(new ApiError('VALIDATION_FAILED', 'body/title must NOT have more', 400))).toHaveProperty(
      'title',
    );
    expect(fieldErrorOf(new ApiError('FORBIDDEN', 'no', 403))).toBeNull();
  });
});

describe('roles', () => {
  it('lets admins create stories and editors change them; an unknown role may do nothing', () => {
    expect(can('admin', 'story.create')).toBe(true);
    expect(can('editor', 'story.create')).toBe(false);
    expect(can('editor', 'story.settings')).toBe(true);
    expect(can('contributor', 'story.settings')).toBe(false);
    expect(can(null, 'story.settings')).toBe(false);
    expect(can('root', 'editors.manage')).toBe(false);
  });
});
