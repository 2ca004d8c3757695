/**
 * What the docs check reads out of Markdown: the npm scripts a page tells you to run, and the
 * relative links (images included) it points at. Pure functions, so the test can try them on a
 * small string as well as on README.md and docs/.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/** npm's own commands that run a script of the same name. */
const SHORTHANDS = ['start', 'test', 'stop', 'restart'];

/** Every script named as `npm run X` (flags such as `--silent` skipped) or `npm start` / `npm test`. */
export function npmScriptsNamed(markdown: string): string[] {
  const names = new Set<string>();
  for (const match of markdown.matchAll(/\bnpm\s+run(?:\s+-[-\w]+)*\s+([\w:.-]+)/g)) names.add(match[1]!);
  for (const match of markdown.matchAll(/\bnpm\s+(\w+)\b/g)) {
    if (SHORTHANDS.includes(match[1]!)) names.add(match[1]!);
  }
  return [...names];
}

/** Code shows commands and JSON, not links: `a[0](b)` in a code block is no link. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Targets of inline links and images, reference definitions and HTML src/href attributes. */
export function linkTargets(markdown: string): string[] {
  const text = withoutCode(markdown);
  const targets: string[] = [];
  for (const match of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(match[1]!);
  for (const match of text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) targets.push(match[1]!);
  for (const match of text.matchAll(/\b(?:src|href)="([^"]+)"/g)) targets.push(match[1]!);
  return targets;
}

/** A link to a file in the repository, without its #anchor or ?query; undefined for anything else. */
export function relativePath(target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#') || target.startsWith('//')) return undefined;
  const path = decodeURI(target.replace(/[#?].*$/, ''));
  return path === '' ? undefined : path;
}

/** The relative links of one Markdown file that point at nothing. */
export function brokenLinks(markdown: string, file: string): string[] {
  return linkTargets(markdown).filter((target) => {
    const path = relativePath(target);
    return path !== undefined && !existsSync(resolve(dirname(file), path));
  });
}

const TREE_ROOTS = ['src', 'workers', 'client', 'tests', 'scripts', 'bench', 'docs', 'deploy', '.ci'];

/** Paths into the tree that a page names in backticks, such as `src/store/keys.ts` or `tests/integration/hostile-*.test.ts`. */
export function treePathsNamed(markdown: string): string[] {
  const paths = new Set<string>();
  for (const match of markdown.matchAll(/`([^`\s]+)`/g)) {
    const path = match[1]!.replace(/:\d+(-\d+)?$/, ''); // `file.ts:12` names a line
    // `<name>` is a placeholder, not a path.
    if (TREE_ROOTS.includes(path.split('/')[0]!) && path.includes('/') && !path.includes('<')) paths.add(path);
  }
  return [...paths];
}

/** Whether a path (its last part may hold `*`) names something in the tree below root. */
export function existsInTree(root: string, path: string): boolean {
  if (path.includes('**')) return existsSync(resolve(root, path.slice(0, path.indexOf('**'))));
  const full = resolve(root, path);
  if (!path.includes('*')) return existsSync(full);
  const dir = dirname(full);
  if (!existsSync(dir)) return false;
  const pattern = new RegExp(
    `^${basename(full)
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')}$`,
  );
  return readdirSync(dir).some((name) => pattern.test(name));
}
