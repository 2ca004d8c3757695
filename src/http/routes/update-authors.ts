/** The authors named on an update must be active editors: checked before the op is queued. */
import { appError } from '../../errors.ts';
import type { EditorStore } from '../../store/editor-store.ts';

export async function checkAuthors(editors: EditorStore, names: string[]): Promise<void> {
  const found = await editors.lookup(names);
  const unknown = names.filter((_, i) => !found[i] || found[i]?.revokedAt);
  if (unknown.length === 0) return;
  const list = unknown.map((name) => `"${name}"`).join(', ');
  throw appError('VALIDATION_FAILED', `authors: no active editor named ${list}; name editors by their account name`);
}
