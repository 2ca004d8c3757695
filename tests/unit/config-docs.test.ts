/** docs/configuration.md is generated from the config schemas; it must say what they say. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_DOCS_PATH, renderConfigDocs } from '../../scripts/lib/config-docs.ts';
import { ROOT } from '../../scripts/lib/processes.ts';
import { LAUNCHER_SCHEMA } from '../../scripts/lib/launcher-settings.ts';
import { ENV_SCHEMA } from '../../src/config-schema.ts';

describe('docs/configuration.md', () => {
  const generated = renderConfigDocs();

  it('matches the config schemas (run `npm run docs:config` after changing them)', () => {
    const committed = readFileSync(join(ROOT, CONFIG_DOCS_PATH), 'utf8');
    expect(committed, `${CONFIG_DOCS_PATH} is out of date: run \`npm run docs:config\``).toBe(generated);
  });

  it('has a row for every variable the API, the worker and the launcher read', () => {
    for (const name of [...Object.keys(ENV_SCHEMA.properties), ...Object.keys(LAUNCHER_SCHEMA.properties)]) {
      expect(generated).toContain(`| \`${name}\` |`);
    }
  });
});
