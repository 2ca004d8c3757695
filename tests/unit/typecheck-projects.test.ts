/**
 * The TypeScript projects keep the server and the browser code apart: a probe file is checked
 * with each project's own settings, and globals of the other side must not type-check.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
// Inside the checkout, so that `types: ["node"]` finds node_modules/@types as the real projects do.
mkdirSync(join(root, 'test-artifacts'), { recursive: true });
const dir = mkdtempSync(join(root, 'test-artifacts', 'typecheck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Type-checks one probe file with the settings of `project`; resolves to tsc's diagnostics. */
async function check(project: string, name: string, source: string): Promise<string> {
  writeFileSync(join(dir, `${name}.ts`), `${source}\nexport {};\n`);
  const config = join(dir, `${name}.tsconfig.json`);
  writeFileSync(config, JSON.stringify({ extends: join(root, project), files: [`${name}.ts`], include: [] }));
  try {
    await promisify(execFile)(join(root, 'node_modules/.bin/tsc'), ['-p', config]);
    return '';
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

const NODE_GLOBALS = 'const a = process.env.HOME; const b = Buffer.from("x");';
const DOM_GLOBALS = 'const c = document.title; const d = window.location.href;';

describe('typecheck projects', () => {
  it('the browser project knows the DOM and refuses process and Buffer', async () => {
    expect(await check('tsconfig.client.json', 'client-dom', DOM_GLOBALS)).toBe('');
    const refused = await check('tsconfig.client.json', 'client-node', NODE_GLOBALS);
    expect(refused).toMatch(/Cannot find name 'process'/);
    expect(refused).toMatch(/Cannot find name 'Buffer'/);
  });

  it('the server project knows Node and refuses document and window', async () => {
    expect(await check('tsconfig.server.json', 'server-node', NODE_GLOBALS)).toBe('');
    const refused = await check('tsconfig.server.json', 'server-dom', DOM_GLOBALS);
    expect(refused).toMatch(/Cannot find name 'document'/);
    expect(refused).toMatch(/Cannot find name 'window'/);
  });

  it('the service worker project knows its own scope and neither the DOM nor Node', async () => {
    expect(
      await check('tsconfig.sw.json', 'sw-scope', 'declare const self: ServiceWorkerGlobalScope; self.skipWaiting();'),
    ).toBe('');
    const refused = await check('tsconfig.sw.json', 'sw-other', `${DOM_GLOBALS} ${NODE_GLOBALS}`);
    expect(refused).toMatch(/Cannot find name 'document'/);
    expect(refused).toMatch(/Cannot find name 'process'/);
  });
});
