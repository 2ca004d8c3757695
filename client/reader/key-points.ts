/**
 * Keeps the reader page's "What we know" block current: the story.updated event carries the
 * worker's sanitized HTML, which replaces the list. The block sits at the top of the page, so a
 * reader further down must not see the updates jump when it grows or shrinks: browsers with
 * scroll anchoring keep the position themselves; for the others the height change is scrolled away.
 */
import { KEY_POINTS_LIST_ID } from '../../src/shared/key-points-html.ts';
import './key-points.css';

const scrollAnchoring = typeof CSS !== 'undefined' && CSS.supports('overflow-anchor', 'auto');

export function showKeyPoints(keyPointsHtml: string | undefined): void {
  const section = document.getElementById('key-points');
  const list = document.getElementById(KEY_POINTS_LIST_ID);
  if (!section || !list || keyPointsHtml === undefined || list.innerHTML === keyPointsHtml) return;
  const before = section.getBoundingClientRect();
  const readerIsBelow = before.bottom <= 0;
  // Server-rendered and sanitized (an allowlist of list markup), like update bodies.
  list.innerHTML = keyPointsHtml;
  section.hidden = keyPointsHtml === '';
  if (readerIsBelow && !scrollAnchoring) {
    window.scrollBy(0, section.getBoundingClientRect().height - before.height);
  }
}
