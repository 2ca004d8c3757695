/**
 * `npm run editor -- add <name> [--role admin|editor|contributor] [--display-name "…"] [--title "…"] |
 * list | revoke <name>`: manages who may post and how their byline reads. `add` prints the new
 * token alone on the last line so scripts can take it with `tail -n 1`.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { LIMITS_PROFILE } from '../src/domain/byline.ts';
import { migrateKeyNames } from '../src/store/key-migration.ts';
import { createEditorStore, displayNameOf, type Editor, type EditorProfile } from '../src/store/editor-store.ts';
import { createKeys } from '../src/store/keys.ts';
import { closeRedis, connectCliRedis } from './lib/cli-redis.ts';
import { envBesideLauncher } from './lib/launcher-settings.ts';

type Store = ReturnType<typeof createEditorStore>;
type Role = Editor['role'];

const USAGE = `Usage:
  npm run editor -- add <name> [--role admin|editor|contributor] [--display-name "Anna Kovalenko"] [--title "Kyiv correspondent"]
                                                       create an editor and print their token
  npm run editor -- list                               show all editors
  npm run editor -- revoke <name>                      disable an editor's token

A contributor's updates wait in the review queue until an editor or admin approves them.`;

type Command =
  | { kind: 'add'; name: string; role: Role; profile: EditorProfile }
  | { kind: 'list' }
  | { kind: 'revoke'; name: string };

class UsageError extends Error {}

function parseRole(value: string | undefined): Role {
  if (value === undefined || value === 'editor') return 'editor';
  if (value === 'admin' || value === 'contributor') return value;
  throw new UsageError(`--role must be "admin", "editor" or "contributor", not "${value}"`);
}

const ADD_OPTIONS = {
  role: { type: 'string' },
  'display-name': { type: 'string' },
  title: { type: 'string' },
} as const;

/** The byline as bylines will show it: trimmed, within the API's limits. */
function parseProfile(values: { 'display-name'?: string; title?: string }): EditorProfile {
  const displayName = values['display-name']?.trim();
  const title = values.title?.trim();
  if (values['display-name'] !== undefined && !displayName) throw new UsageError('--display-name cannot be blank');
  if (displayName && displayName.length > LIMITS_PROFILE.displayName) {
    throw new UsageError(`--display-name is longer than ${LIMITS_PROFILE.displayName} characters`);
  }
  if (title && title.length > LIMITS_PROFILE.title) {
    throw new UsageError(`--title is longer than ${LIMITS_PROFILE.title} characters`);
  }
  return { ...(displayName && { displayName }), ...(title && { title }) };
}

function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: ADD_OPTIONS });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const [kind, name, ...extra] = parsed.positionals;
  const { role, ...profile } = parsed.values;
  if (kind !== 'add' && Object.keys(parsed.values).length > 0) {
    throw new UsageError('--role, --display-name and --title only apply to "add"');
  }
  if (kind === 'list' && name === undefined) return { kind };
  if ((kind === 'add' || kind === 'revoke') && name && extra.length === 0) {
    return kind === 'add' ? { kind, name, role: parseRole(role), profile: parseProfile(profile) } : { kind, name };
  }
  if (kind === 'add' || kind === 'revoke') throw new UsageError(`"${kind}" takes exactly one name`);
  throw new UsageError(kind ? `unknown command "${parsed.positionals.join(' ')}"` : 'no command given');
}

async function add(store: Store, name: string, role: Role, profile: EditorProfile): Promise<void> {
  const { editor, token } = await store.add(name, role, 'cli', profile).catch((err: unknown) => {
    if ((err as { code?: unknown } | null)?.code !== 'EDITOR_EXISTS') throw err;
    throw new Error(`an editor named "${name}" already exists; pick another name (see \`npm run editor -- list\`)`);
  });
  const title = editor.title ? `, ${editor.title}` : '';
  console.log(`Added ${editor.role} "${editor.name}" (byline: ${displayNameOf(editor)}${title}).`);
  console.log('Their token is below. It is shown only this once and cannot be recovered;');
  console.log(`if it is lost, revoke it (\`npm run editor -- revoke ${editor.name}\`) and add a new editor.`);
  console.log(token);
}

async function list(store: Store): Promise<void> {
  const editors = await store.list();
  if (editors.length === 0) {
    console.log('No editors yet. Add one with: npm run editor -- add <name> [--role admin]');
    return;
  }
  const width = Math.max(4, ...editors.map((e) => e.name.length));
  console.log(`${'NAME'.padEnd(width)}  ROLE         CREATED                   STATUS  BYLINE`);
  for (const e of editors) {
    const status = e.revokedAt ? `revoked ${e.revokedAt}` : 'active';
    const byline = `${displayNameOf(e)}${e.title ? `, ${e.title}` : ''}`;
    console.log(`${e.name.padEnd(width)}  ${e.role.padEnd(11)}  ${e.createdAt.padEnd(24)}  ${status}  ${byline}`);
  }
}

async function revoke(store: Store, name: string): Promise<void> {
  if (!(await store.revoke(name)))
    throw new Error(`there is no active editor named "${name}" (see \`npm run editor -- list\`)`);
  console.log(`Revoked "${name}"; their token no longer works.`);
}

function run(store: Store, command: Command): Promise<void> {
  if (command.kind === 'add') return add(store, command.name, command.role, command.profile);
  if (command.kind === 'revoke') return revoke(store, command.name);
  return list(store);
}

function explain(err: unknown): string {
  if (err instanceof UsageError) return `${err.message}\n\n${USAGE}`;
  return err instanceof Error ? err.message : String(err);
}

async function main(): Promise<void> {
  const command = parseCommand(process.argv.slice(2));
  const config = loadConfig(envBesideLauncher());
  const redis = await connectCliRedis(config, 'editor-cli').catch((err: unknown) => {
    throw new Error(`${explain(err)}. Is \`npm start\` running, or REDIS_URL set?`);
  });
  try {
    const keys = createKeys(config.keyPrefix);
    // Before an API node has run the upgrade: the CLI must see the editors the API will.
    await migrateKeyNames(redis, keys);
    await run(createEditorStore(redis, keys), command);
  } finally {
    await closeRedis(redis);
  }
}

main().catch((err: unknown) => {
  console.error(`editor: ${explain(err)}`);
  process.exitCode = 1;
});
