/**
 * An embed card's controls ("Load" and the note beside it) mean something only on the reader page
 * with its script. Plain-text uses of an update (key events list, push alerts, JSON-LD, the feed)
 * leave them out; the provider, the link and the quote stay.
 */
const CONTROLS = /<button type="button" class="embed-load">[^<]*<\/button>|<span class="embed-note">[^<]*<\/span>/g;

export function withoutEmbedControls(html: string): string {
  return html.replace(CONTROLS, '');
}
