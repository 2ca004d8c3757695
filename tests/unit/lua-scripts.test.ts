/**
 * Every Lua script is in the registry (SCRIPTS), and the number in its name is the number of KEYS
 * it takes: the count the registry passes to Redis, the first line's header, and the highest
 * KEYS[n] its KEYS/ARGV/return doc lists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCRIPTS } from '../../src/store/lua-script.ts';

const DIR = new URL('../../src/store/scripts/', import.meta.url);
const scriptFiles = readdirSync(DIR).filter((name) => name.endsWith('.lua'));
const includeFiles = readdirSync(new URL('includes/', DIR)).filter((name) => name.endsWith('.lua'));
const registered = Object.values(SCRIPTS);

function source(name: string): string {
  return readFileSync(new URL(name, DIR), 'utf8');
}

/** The highest key the doc block names, counting ranges such as KEYS[5..9]. */
function highestDocumentedKey(text: string): number {
  const doc = /--\[\[([\s\S]*?)\]\]/.exec(text)?.[1] ?? '';
  const indexes = [...doc.matchAll(/KEYS\[(\d+)(?:\.\.(\d+))?\]/g)].map((m) => Number(m[2] ?? m[1]));
  return Math.max(0, ...indexes);
}

describe('the Lua script registry', () => {
  it('holds every .lua file of src/store/scripts/, each once', () => {
    expect(scriptFiles.length).toBeGreaterThan(0);
    expect(registered.map((script) => script.name).sort()).toEqual([...scriptFiles].sort());
  });

  it.each(scriptFiles)('%s: the number in the name is the key count the registry declares', (file) => {
    const script = registered.find((s) => s.name === file);
    const inName = Number(/-(\d+)\.lua$/.exec(file)?.[1]);
    expect(script?.numberOfKeys).toBe(inName);
  });

  it.each(scriptFiles)('%s: its header says what the number means, and its doc lists that many KEYS', (file) => {
    const text = source(file);
    const keys = Number(/-(\d+)\.lua$/.exec(file)?.[1]);
    expect(text.split('\n')[0]).toBe(
      `-- ${keys} = the number of KEYS this script takes (ARGV and return documented below).`,
    );
    expect(highestDocumentedKey(text)).toBe(keys);
    expect(text).toMatch(/ARGV\[1\]/);
    expect(text).toMatch(/Returns/);
  });

  it.each(includeFiles)('includes/%s: says why it has no number, and a registered script uses it', (file) => {
    expect(source(`includes/${file}`).split('\n')[0]).toMatch(/^-- No number in this name: /);
    const name = file.replace(/\.lua$/, '');
    const users = scriptFiles.filter((script) => source(script).includes(`-- @include ${name}\n`));
    expect(users.length).toBeGreaterThan(0);
  });
});
