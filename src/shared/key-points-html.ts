/**
 * The "What we know" block's markup, shared by the server-rendered page and the reader script
 * (which replaces the list when the story's key points change). The list HTML is the worker's
 * sanitized rendering; the block stays in the page, hidden, while the story has no key points,
 * so the script always has a place to put them.
 */
export const KEY_POINTS_LIST_ID = 'key-points-list';

export function keyPointsSection(keyPointsHtml: string): string {
  return `<section id="key-points" class="key-points" aria-labelledby="key-points-title"${keyPointsHtml ? '' : ' hidden'}><h2 id="key-points-title">What we know</h2><div id="${KEY_POINTS_LIST_ID}">${keyPointsHtml}</div></section>`;
}
