/**
 * The JSON the story page embeds for the reader script (client/reader/main.ts): written by the
 * server, read in the browser.
 */
import type { Story } from '../domain/story.ts';

/** What the reader script needs to take over from the server-rendered page. */
export interface StoryBootstrap {
  storyId: string;
  slug: string;
  status: Story['status'];
  lastSeq: number;
  epoch: string;
  next: string | null;
  embed: boolean;
  /**
   * Mastodon instances this deployment frames, the same list as the page's CSP: the reader script
   * re-checks a card against it before framing, so a card naming any other instance stays a link.
   */
  mastodonHosts: string[];
}
