/**
 * What each role may do, in one table that the API and the dashboard both read: the API refuses
 * what a role may not do (403), and the dashboard does not offer it. A role the table does not
 * know may do nothing.
 */
export type Role = 'admin' | 'editor' | 'contributor';

export type RoleAction =
  /** Create a story. */
  | 'story.create'
  /** Change a story's title, summary and key points; end and reopen it. */
  | 'story.settings'
  /** Add, revoke and change editor accounts. */
  | 'editors.manage';

const ALLOWED: Record<RoleAction, readonly Role[]> = {
  'story.create': ['admin'],
  'story.settings': ['admin', 'editor'],
  'editors.manage': ['admin'],
};

export function can(role: string | null | undefined, action: RoleAction): boolean {
  return (ALLOWED[action] as readonly string[]).includes(role ?? '');
}
