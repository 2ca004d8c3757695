/** `npm run docs:config`: writes docs/configuration.md from the config schemas (see lib/config-docs.ts). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_DOCS_PATH, renderConfigDocs } from './lib/config-docs.ts';
import { ROOT } from './lib/processes.ts';

writeFileSync(join(ROOT, CONFIG_DOCS_PATH), renderConfigDocs());
console.log(`Wrote ${CONFIG_DOCS_PATH}`);
