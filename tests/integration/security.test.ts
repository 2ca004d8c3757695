import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

async function addEditor(name: string, role: 'admin' | 'editor' = 'editor'): Promise<string> {
  const res = await stack.request('POST', '/api/editors', { body: { name, role } });
  expect(res.status).toBe(201);
  expect(res.body.editor).toMatchObject({ name, role });
  return res.body.token;
}

describe('roles', () => {
  it('an editor posts updates and changes a story, but only an admin creates stories and manages editors', async () => {
    const editor = await addEditor('reporter');
    const denied = await stack.request('POST', '/api/stories', {
      body: { title: 'Not mine to create' },
      token: editor,
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('FORBIDDEN');
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Admin made this' } });
    expect(
      (
        await stack.request('POST', `/api/stories/${story.id}/updates`, {
          body: { id: 'e1', body: 'By the editor' },
          token: editor,
        })
      ).status,
    ).toBe(202);
    // Story settings (title, summary, key points, end and reopen) are an editor's job too.
    expect(
      (await stack.request('PATCH', `/api/stories/${story.id}`, { body: { status: 'ended' }, token: editor })).status,
    ).toBe(202);
    expect((await stack.request('GET', '/api/editors', { token: editor })).status).toBe(403);
    expect((await stack.request('POST', '/api/editors', { body: { name: 'sneaky' }, token: editor })).status).toBe(403);
  });
});

describe('editor tokens', () => {
  it('are stored only as hashes', async () => {
    const token = await addEditor('hashed');
    const keys = await stack.redis.keys(`${stack.config.keyPrefix}*`);
    for (const key of keys) {
      const type = await stack.redis.type(key);
      const content =
        type === 'hash'
          ? JSON.stringify(await stack.redis.hgetall(key))
          : type === 'string'
            ? await stack.redis.get(key)
            : type === 'stream'
              ? JSON.stringify(await stack.redis.xrange(key, '-', '+'))
              : '';
      expect(content ?? '').not.toContain(token);
    }
  });

  it('stop working the moment they are revoked, and the list shows it', async () => {
    const token = await addEditor('leaving');
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Revocation' } });
    expect(
      (await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { body: 'Still allowed' }, token }))
        .status,
    ).toBe(202);
    expect((await stack.request('DELETE', '/api/editors/leaving')).status).toBe(204);
    const after = await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { body: 'Too late' },
      token,
    });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHORIZED');
    expect((await stack.request('DELETE', '/api/editors/leaving')).body.error.code).toBe('EDITOR_NOT_FOUND');
    const list = await stack.request('GET', '/api/editors');
    expect(list.body.editors.find((e: { name: string }) => e.name === 'leaving').revokedAt).toEqual(expect.any(String));
    expect((await stack.request('POST', '/api/editors', { body: { name: 'leaving' } })).body.error.code).toBe(
      'EDITOR_EXISTS',
    );
  });
});

describe('audit trail', () => {
  it('records who created, posted, edited, pinned and deleted what, and who managed editors', async () => {
    const alice = await addEditor('alice');
    const bob = await addEditor('bob');
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Audited' } });
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'a1', body: 'Posted by Alice' },
      token: alice,
    });
    await eventually(async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 1, 'post');
    await stack.request('PATCH', `/api/stories/${story.id}/updates/a1`, { body: { body: 'Fixed by Bob' }, token: bob });
    await eventually(async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 2, 'edit');
    await stack.request('PATCH', `/api/stories/${story.id}/updates/a1`, { body: { pinned: true }, token: alice });
    await eventually(async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 3, 'pin');
    await stack.request('DELETE', `/api/stories/${story.id}/updates/a1`, { token: bob });
    await stack.request('PATCH', `/api/stories/${story.id}`, { body: { status: 'ended' } });
    await eventually(
      async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 5,
      'delete and end',
    );

    const audit = await stack.request('GET', `/api/stories/${story.id}/audit`, { token: alice });
    expect(audit.status).toBe(200);
    expect(
      audit.body.entries.map((e: { actor: string; action: string; updateId?: string; seq?: number }) => [
        e.actor,
        e.action,
        e.updateId ?? null,
        e.seq,
      ]),
    ).toEqual([
      ['tester', 'story.updated', null, 5],
      ['bob', 'update.deleted', 'a1', 4],
      ['alice', 'update.pinned', 'a1', 3],
      ['bob', 'update.edited', 'a1', 2],
      ['alice', 'update.created', 'a1', 1],
      ['tester', 'story.created', null, 0],
    ]);
    expect(audit.body.entries[0].changes).toEqual({ status: 'ended' });
    expect((await stack.request('GET', `/api/stories/${story.id}/audit`, { token: null })).status).toBe(401);

    const editors = await stack.request('GET', '/api/audit/editors');
    expect(
      editors.body.entries
        .filter((e: { editor: string }) => ['alice', 'bob'].includes(e.editor))
        .map((e: { actor: string; action: string; editor: string }) => [e.actor, e.action, e.editor]),
    ).toEqual([
      ['tester', 'editor.added', 'bob'],
      ['tester', 'editor.added', 'alice'],
    ]);
  });
});
