/**
 * Holds new updates back while the reader is scrolled down (so the page does not move under
 * them), shows "N new updates" and "(N)" in the tab title, and shows them on request or when the
 * reader is back at the top.
 */
import type { Update } from '../../src/domain/update.ts';

const AT_TOP_PX = 120;

export class NewUpdatesBanner {
  private readonly held = new Map<string, Update>();
  private readonly baseTitle = document.title;

  constructor(
    private readonly button: HTMLButtonElement,
    private readonly show: (updates: Update[]) => void,
  ) {
    button.addEventListener('click', () => {
      this.release();
      window.scrollTo({ top: 0, behavior: 'smooth' });
    });
    window.addEventListener(
      'scroll',
      () => {
        if (this.readerAtTop()) this.release();
      },
      { passive: true },
    );
  }

  readerAtTop(): boolean {
    return window.scrollY < AT_TOP_PX;
  }

  hold(update: Update): void {
    this.held.set(update.id, update);
    this.render();
  }

  /** An edit or delete of a held update changes what will be shown. */
  replaceHeld(update: Update): boolean {
    if (!this.held.has(update.id)) return false;
    this.held.set(update.id, update);
    return true;
  }

  drop(id: string): boolean {
    const had = this.held.delete(id);
    if (had) this.render();
    return had;
  }

  release(): void {
    if (this.held.size === 0) return;
    const updates = [...this.held.values()];
    this.held.clear();
    this.show(updates);
    this.render();
  }

  private render(): void {
    const count = this.held.size;
    this.button.hidden = count === 0;
    this.button.textContent = count === 1 ? '1 new update' : `${count} new updates`;
    document.title = count > 0 ? `(${count}) ${this.baseTitle}` : this.baseTitle;
  }
}
