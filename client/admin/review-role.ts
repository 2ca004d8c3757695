/**
 * The dashboard adapts to the role it is signed in with. A contributor's composer says "Submit
 * for review" and has no pin, key-event or alert options (an editor sets them on approval); the
 * controls of other roles (ending a story, editing published updates) are hidden by
 * styles/review.css from `body[data-role]`. The server refuses them anyway.
 */
import type { Composer } from './composer.ts';
import type { Role } from './review-api.ts';

export function applyRole(role: Role | null, composer: Composer): void {
  if (role) document.body.dataset.role = role;
  else delete document.body.dataset.role;
  const contributor = role === 'contributor';
  composer.setContributor(contributor);
  const hint = document.getElementById('composer-shortcut');
  if (hint?.lastChild) hint.lastChild.textContent = contributor ? ' submits for review' : ' publishes';
}
