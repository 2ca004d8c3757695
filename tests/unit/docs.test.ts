/**
 * README.md and docs/ name npm scripts and link to files; both drift when code moves. This checks
 * every `npm run X` against package.json, every relative link and every path named in backticks
 * (`src/...`, `tests/...`) against the tree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  brokenLinks,
  existsInTree,
  linkTargets,
  npmScriptsNamed,
  relativePath,
  treePathsNamed,
} from '../helpers/docs-check.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const scripts = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts,
);
const pages = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

describe('the docs check itself', () => {
  const sample = [
    'Run `npm run bench -- read`, then `npm run --silent editor -- add you` and `npm test`.',
    'In code: `npm run nope:missing`. See [the API](docs/api.md#auth), ![a picture](images/x.png "title"),',
    '[a site](https://example.com/a.md), [mail](mailto:a@example.com), [here](#top) and',
    '<img src="docs/images/reader.png" alt="">.',
    '[ref]: ./gone.md',
    '```js',
    'const f = fns[0](x);',
    '```',
  ].join('\n');

  it('finds every npm script a page names, past flags and arguments', () => {
    expect(npmScriptsNamed(sample).sort()).toEqual(['bench', 'editor', 'nope:missing', 'test']);
  });

  it('finds links and images, keeps relative ones, and ignores code, URLs and anchors', () => {
    const targets = linkTargets(sample);
    expect(targets).toEqual([
      'docs/api.md#auth',
      'images/x.png',
      'https://example.com/a.md',
      'mailto:a@example.com',
      '#top',
      './gone.md',
      'docs/images/reader.png',
    ]);
    expect(targets.map(relativePath).filter(Boolean)).toEqual([
      'docs/api.md',
      'images/x.png',
      './gone.md',
      'docs/images/reader.png',
    ]);
  });

  it('reports a link to a missing file, and not one to a file that exists', () => {
    const page = '[ok](package.json) [ok too](./README.md#status) [gone](docs/nowhere.md#x)';
    expect(brokenLinks(page, join(ROOT, 'README.md'))).toEqual(['docs/nowhere.md#x']);
  });

  it('finds paths into the tree named in backticks, and tells which exist', () => {
    const page =
      'See `src/store/keys.ts:12`, `tests/integration/hostile-*.test.ts`, `src/gone.ts`, `npm test` and `a/b`.';
    const named = treePathsNamed(page);
    expect(named).toEqual(['src/store/keys.ts', 'tests/integration/hostile-*.test.ts', 'src/gone.ts']);
    expect(named.filter((path) => !existsInTree(ROOT, path))).toEqual(['src/gone.ts']);
  });
});

describe.each(pages)('%s', (page) => {
  const markdown = readFileSync(join(ROOT, page), 'utf8');

  it('names only npm scripts that package.json has', () => {
    expect(npmScriptsNamed(markdown).filter((name) => !scripts.includes(name))).toEqual([]);
  });

  it('links only to files that exist', () => {
    expect(brokenLinks(markdown, join(ROOT, page))).toEqual([]);
  });

  it('names only paths that exist in the tree', () => {
    expect(treePathsNamed(markdown).filter((path) => !existsInTree(ROOT, path))).toEqual([]);
  });
});
