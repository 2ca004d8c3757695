/**
 * "Your byline": the signed-in editor sets the display name and title readers see on their
 * updates (PATCH /api/editors/:name on their own account). Updates already published keep the
 * byline they were published with.
 */
import { byId } from './dom.ts';
import type { AdminScreenDeps } from './editors-screen.ts';

export function startOwnByline({ store, api, showProblem }: AdminScreenDeps): void {
  const form = byId('own-byline-form', HTMLFormElement);
  const displayName = byId('own-display-name', HTMLInputElement);
  const title = byId('own-title', HTMLInputElement);

  store.subscribe((state, previous) => {
    if (state.me === previous.me || !state.me) return;
    displayName.value = state.me.displayName;
    title.value = state.me.title ?? '';
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void save();
  });

  async function save(): Promise<void> {
    const me = store.get().me;
    const client = api();
    if (!me || !client) return;
    const name = displayName.value.trim();
    if (!name) {
      displayName.focus();
      store.set({ problem: { code: 'VALIDATION_FAILED', message: 'Your display name cannot be empty.' } });
      return;
    }
    try {
      const updated = await client.setByline(me.name, { displayName: name, title: title.value.trim() || null });
      store.set({ me: updated, notice: 'Byline saved. Your next updates carry it.' });
    } catch (error) {
      showProblem(error);
    }
  }
}
