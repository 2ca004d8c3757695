/**
 * The dashboard adapts to the signed-in role: an element marked `data-can="<action>"` is shown
 * only to roles the shared table (src/shared/roles.ts, which the API enforces too) allows. Such
 * elements start hidden in the page, so nothing a role may not use flashes up before sign-in.
 */
import { can, type RoleAction } from '../../src/shared/roles.ts';

export { can, type RoleAction };

export function applyRole(role: string | null, root: ParentNode = document): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-can]')) {
    element.hidden = !can(role, element.dataset.can as RoleAction);
  }
}
