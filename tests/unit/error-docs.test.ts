/**
 * docs/api.md's table of error codes is written for people, so it is checked against the
 * catalogue (src/errors.ts): every code is listed once, with the status the API answers.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/errors.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Rows of the form "| `CODE`, `CODE` | 404 | why |" as [code, status] pairs. */
function documentedCodes(markdown: string): [string, number][] {
  const pairs: [string, number][] = [];
  for (const row of markdown.matchAll(/^\| ((?:`[A-Z_]+`(?:, )?)+) \| (\d{3}) \|/gm)) {
    for (const code of row[1]!.matchAll(/`([A-Z_]+)`/g)) pairs.push([code[1]!, Number(row[2])]);
  }
  return pairs;
}

describe('the error table in docs/api.md', () => {
  const pairs = documentedCodes(readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8'));

  it('is read as rows of codes and statuses', () => {
    expect(documentedCodes('| `A_B`, `C` | 404 | x |\n| `D` | 500 | y |')).toEqual([
      ['A_B', 404],
      ['C', 404],
      ['D', 500],
    ]);
  });

  it('lists every code of the catalogue once, with its status', () => {
    const catalogue = Object.entries(ERRORS).map(([code, { status }]) => [code, status]);
    expect([...pairs].sort()).toEqual([...catalogue].sort());
  });
});
