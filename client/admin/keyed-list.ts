/**
 * Redraws a list by key: rows whose signature did not change keep their element, so live
 * events do not reset what the editor is doing in other rows, and keyboard focus survives the
 * row it was in being redrawn.
 */
export interface KeyedListOptions<T> {
  key: (item: T) => string;
  signature: (item: T) => string;
  render: (item: T) => HTMLElement;
}

export function renderKeyedList<T>(container: HTMLElement, items: readonly T[], options: KeyedListOptions<T>): void {
  const focus = rememberFocus(container);
  const existing = new Map<string, HTMLElement>();
  for (const child of Array.from(container.children)) {
    if (child instanceof HTMLElement && child.dataset.key) existing.set(child.dataset.key, child);
  }
  const wanted = new Set(items.map(options.key));
  for (const [key, element] of existing) if (!wanted.has(key)) element.remove();

  items.forEach((item, index) => {
    const key = options.key(item);
    const signature = options.signature(item);
    let element = existing.get(key);
    if (!element || element.dataset.signature !== signature) {
      const fresh = options.render(item);
      fresh.dataset.key = key;
      fresh.dataset.signature = signature;
      element?.replaceWith(fresh);
      element = fresh;
    }
    const atIndex = container.children[index];
    if (atIndex !== element) container.insertBefore(element, atIndex ?? null);
  });
  restoreFocus(container, focus);
}

interface FocusSpot {
  key: string;
  action: string | null;
  neighbourKey: string | null;
}

function rememberFocus(container: HTMLElement): FocusSpot | null {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !container.contains(active)) return null;
  const row = active.closest<HTMLElement>('[data-key]');
  if (!row?.dataset.key) return null;
  const next = row.nextElementSibling ?? row.previousElementSibling;
  return {
    key: row.dataset.key,
    action: active.dataset.action ?? null,
    neighbourKey: next instanceof HTMLElement ? (next.dataset.key ?? null) : null,
  };
}

/** Back to the same control in the redrawn row; to the row itself, or its neighbour if it left. */
function restoreFocus(container: HTMLElement, spot: FocusSpot | null): void {
  if (
    !spot ||
    (document.activeElement && document.activeElement !== document.body && container.contains(document.activeElement))
  )
    return;
  const row = rowByKey(container, spot.key) ?? (spot.neighbourKey ? rowByKey(container, spot.neighbourKey) : null);
  if (!row) return;
  const control =
    spot.action && row.dataset.key === spot.key
      ? row.querySelector<HTMLElement>(`[data-action="${spot.action}"]`)
      : null;
  (control ?? row).focus();
}

function rowByKey(container: HTMLElement, key: string): HTMLElement | null {
  for (const child of Array.from(container.children)) {
    if (child instanceof HTMLElement && child.dataset.key === key) return child;
  }
  return null;
}
