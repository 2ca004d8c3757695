/**
 * Bylines: editors' display names and titles (CLI and PATCH /api/editors/:name), updates naming
 * several authors, and how readers get them: the API, the page's "By A and B", and the JSON-LD.
 */
import { spawnSync } from 'node:child_process';
import { Queue } from 'bullmq';
import { DomUtils, parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/processes.ts';
import { QUEUES } from '../../src/queue/jobs.ts';
import { bullmqConnection } from '../../src/redis/connections.ts';
import { createEditorStore, type EditorStore } from '../../src/store/editor-store.ts';
import { createKeys } from '../../src/store/keys.ts';
import { cameraJpeg, uploadPhoto } from '../helpers/photos.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { processEnv } from '../helpers/test-config.ts';

let stack: Stack;
let editors: EditorStore;
let anna: string;
let queue: Queue;

beforeAll(async () => {
  stack = await startStack();
  editors = createEditorStore(stack.redis, createKeys(stack.config.keyPrefix));
  anna = (await editors.add('anna', 'editor', 'test', { displayName: 'Anna Kovalenko', title: 'Kyiv correspondent' }))
    .token;
  await editors.add('ben', 'editor', 'test', { displayName: 'Ben Okafor' });
  await editors.add('chloe', 'editor', 'test', { displayName: 'Chloé Martin' });
  queue = new Queue(QUEUES.storyOps, {
    connection: bullmqConnection(stack.config.redis.topology, 'worker').connection,
    prefix: stack.config.queuePrefix,
  });
});
afterAll(async () => {
  await queue?.close();
  await stack?.close();
});

async function newStory(title: string): Promise<{ id: string; slug: string }> {
  const res = await stack.request('POST', '/api/stories', { body: { title } });
  expect(res.status).toBe(201);
  return res.body;
}

async function published(storyId: string, updateId: string) {
  return eventually(async () => {
    const res = await stack.request('GET', `/api/stories/${storyId}/updates/${updateId}`);
    return res.status === 200 ? res.body : null;
  }, `update ${updateId}`);
}

describe('editor profiles', () => {
  it('are set by the CLI flags', () => {
    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/editor.ts', 'add', 'dara', '--display-name', ' Dara Singh ', '--title', 'Data desk'],
      { cwd: ROOT, env: processEnv(stack.config), encoding: 'utf8' },
    );
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('byline: Dara Singh, Data desk');
    return editors.get('dara').then((editor) => {
      expect(editor).toMatchObject({ name: 'dara', role: 'editor', displayName: 'Dara Singh', title: 'Data desk' });
    });
  });

  it('lets an admin change anyone, role included, and lists the display names', async () => {
    await editors.add('eve', 'editor', 'test');
    const res = await stack.request('PATCH', '/api/editors/eve', {
      body: { displayName: 'Eve Adams', title: 'Night editor', role: 'admin' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'eve', displayName: 'Eve Adams', title: 'Night editor', role: 'admin' });
    const list = await stack.request('GET', '/api/editors');
    const names = Object.fromEntries(list.body.editors.map((e: { name: string; displayName: string }) => [e.name, e]));
    expect(names.eve).toMatchObject({ displayName: 'Eve Adams', role: 'admin' });
    // Editors added before bylines existed show their account name.
    expect(names.tester).toMatchObject({ displayName: 'tester' });
    const audit = await stack.request('GET', '/api/audit/editors?limit=5');
    expect(audit.body.entries[0]).toMatchObject({ actor: 'tester', action: 'editor.role-changed', editor: 'eve' });
  });

  it('lets an editor change their own byline, but not their role, nor anyone else (403)', async () => {
    const own = await stack.request('PATCH', '/api/editors/anna', {
      token: anna,
      body: { title: 'Kyiv bureau chief', avatar: 'media_123' },
    });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ displayName: 'Anna Kovalenko', title: 'Kyiv bureau chief', avatar: 'media_123' });
    const role = await stack.request('PATCH', '/api/editors/anna', { token: anna, body: { role: 'admin' } });
    expect(role.status).toBe(403);
    expect(role.body.error.code).toBe('FORBIDDEN');
    const other = await stack.request('PATCH', '/api/editors/ben', { token: anna, body: { displayName: 'Benji' } });
    expect(other.status).toBe(403);
    expect((await editors.get('ben'))?.displayName).toBe('Ben Okafor');
    const cleared = await stack.request('PATCH', '/api/editors/anna', {
      token: anna,
      body: { title: 'Kyiv correspondent', avatar: null },
    });
    expect(cleared.body.avatar).toBeUndefined();
    expect((await stack.request('GET', '/api/me', { token: anna })).body).toMatchObject({
      name: 'anna',
      role: 'editor',
    });
  });

  it('refuses an unknown or revoked editor (404), a blank name (400) and no token (401)', async () => {
    expect((await stack.request('PATCH', '/api/editors/nobody', { body: { title: 'x' } })).status).toBe(404);
    const blank = await stack.request('PATCH', '/api/editors/ben', { body: { displayName: '   ' } });
    expect(blank.status).toBe(400);
    expect(blank.body.error.code).toBe('VALIDATION_FAILED');
    const none = await stack.request('PATCH', '/api/editors/ben', { token: null, body: { title: 'x' } });
    expect(none.status).toBe(401);
  });
});

describe('updates with several authors', () => {
  it('are served with both display names, in the API, the page and the JSON-LD', async () => {
    const story = await newStory('Bylines story');
    const res = await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'two', body: 'Shelling reported near the station', authors: ['anna', 'ben'] },
    });
    expect(res.status).toBe(202);
    const update = await published(story.id, 'two');
    expect(update.author).toBe('tester');
    expect(update.authors).toEqual([
      { name: 'anna', displayName: 'Anna Kovalenko', title: 'Kyiv correspondent' },
      { name: 'ben', displayName: 'Ben Okafor', title: null },
    ]);
    const page = await (await fetch(`${stack.urls[0]}/stories/${story.slug}`)).text();
    const doc = parseDocument(page);
    const footer = DomUtils.findOne((el) => el.attribs.class === 'update-author', doc.children)!;
    expect(DomUtils.textContent(footer)).toBe('By Anna Kovalenko and Ben Okafor');
    const script = DomUtils.findOne((el) => el.attribs.type === 'application/ld+json', doc.children)!;
    const ld = JSON.parse(DomUtils.textContent(script));
    expect(ld.liveBlogUpdate[0].author).toEqual([
      { '@type': 'Person', name: 'Anna Kovalenko', jobTitle: 'Kyiv correspondent' },
      { '@type': 'Person', name: 'Ben Okafor' },
    ]);
    const feed = await (await fetch(`${stack.urls[0]}/stories/${story.slug}/feed.xml`)).text();
    expect(feed).toContain('<author><name>Anna Kovalenko</name></author><author><name>Ben Okafor</name></author>');
  });

  it('keeps the byline it was published with, and changes it on an edit that names authors', async () => {
    const story = await newStory('Edited bylines');
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'e1', body: 'Text' } });
    await published(story.id, 'e1');
    await stack.request('PATCH', '/api/editors/chloe', { body: { displayName: 'Chloé Martin-Dubois' } });
    const edit = await stack.request('PATCH', `/api/stories/${story.id}/updates/e1`, {
      body: { authors: ['anna', 'ben', 'chloe'] },
    });
    expect(edit.status).toBe(202);
    const edited = await eventually(async () => {
      const body = (await stack.request('GET', `/api/stories/${story.id}/updates/e1`)).body;
      return body.authors?.length === 3 ? body : null;
    }, 'the new byline');
    expect(edited.editedAt).toBeUndefined();
    const page = await (await fetch(`${stack.urls[0]}/stories/${story.slug}`)).text();
    expect(page).toContain('Anna Kovalenko</span>, <span class="byline-name">Ben Okafor</span> and');
    expect(page).toContain('Chloé Martin-Dubois');
  });

  it("shows the author's avatar: the smallest rendition of a photo uploaded as usual", async () => {
    const upload = await uploadPhoto(stack.urls[0]!, anna, {
      bytes: await cameraJpeg(600, 600),
      name: 'anna.jpg',
      type: 'image/jpeg',
    });
    expect(upload.status).toBe(201);
    const patch = await stack.request('PATCH', '/api/editors/anna', { token: anna, body: { avatar: upload.body.id } });
    expect(patch.status).toBe(200);
    const story = await newStory('Avatar byline');
    await stack.request('POST', `/api/stories/${story.id}/updates`, { token: anna, body: { id: 'av', body: 'Hi' } });
    const update = await published(story.id, 'av');
    const smallest = upload.body.variants.reduce((a: { width: number }, b: { width: number }) =>
      b.width < a.width ? b : a,
    );
    expect(update.authors[0].avatarUrl).toBe(smallest.url);
    const page = await (await fetch(`${stack.urls[0]}/stories/${story.slug}`)).text();
    expect(page).toContain(`<img class="byline-avatar" src="${smallest.url}"`);
    expect((await fetch(`${stack.urls[0]}${smallest.url}`)).status).toBe(200);
    await stack.request('PATCH', '/api/editors/anna', { token: anna, body: { avatar: null } });
  });

  it('names the poster by default', async () => {
    const story = await newStory('Default byline');
    await stack.request('POST', `/api/stories/${story.id}/updates`, { token: anna, body: { id: 'd1', body: 'Mine' } });
    const update = await published(story.id, 'd1');
    expect(update.authors).toEqual([{ name: 'anna', displayName: 'Anna Kovalenko', title: 'Kyiv correspondent' }]);
    const page = await (await fetch(`${stack.urls[0]}/stories/${story.slug}`)).text();
    expect(page).toContain('By <span class="byline-name">Anna Kovalenko</span>, <span class="byline-title">');
  });

  it('refuses an unknown or revoked author with 400 VALIDATION_FAILED and queues nothing', async () => {
    const story = await newStory('Unknown author');
    await editors.add('gone', 'editor', 'test');
    await editors.revoke('gone');
    const before = await queue.getJobCounts();
    for (const authors of [['anna', 'nobody'], ['gone']]) {
      const res = await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { body: 'x', authors } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toContain(`"${authors.at(-1)}"`);
    }
    for (const authors of [[], ['anna', 'anna'], ['not a name']]) {
      const res = await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { body: 'x', authors } });
      expect(res.status).toBe(400);
    }
    expect(await queue.getJobCounts()).toEqual(before);
    expect((await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq).toBe(0);
  });
});
