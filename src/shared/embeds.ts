/**
 * The embed providers: which post URLs an editor may paste, the embed page each becomes, and the
 * hosts a browser must be allowed to frame for it. The server renders cards from this table, the
 * Content-Security-Policy lists its frame origins, and the reader script builds iframes from it
 * again in the browser, so an attribute in stored HTML can never name a frame on its own.
 *
 * Matching is strict: https only, the exact host, no credentials, no port, and a path anchored to
 * the shape of one post. Anything else stays a plain link.
 */

export type EmbedProviderId = 'youtube' | 'x' | 'bluesky' | 'telegram' | 'instagram' | 'tiktok' | 'mastodon';

export interface EmbedProvider {
  id: EmbedProviderId;
  name: string;
  /** The embed page of the post at `url`, or null when `url` is not one of this provider's posts. */
  embedUrl(url: URL): string | null;
  /** The origins the embed page is served from; empty when the post is shown as a link only. */
  frameOrigins: readonly string[];
  /** Permissions the frame needs (the iframe's `allow` attribute). */
  allow?: string;
  /** What the frame sends as Referer; YouTube refuses to play for a request without one. */
  referrerPolicy: 'no-referrer' | 'strict-origin-when-cross-origin';
  /** Videos keep a 16:9 frame; posts get a tall one. */
  shape: 'video' | 'post';
}

export interface RecognisedEmbed {
  provider: EmbedProvider;
  /** The post URL as pasted. */
  postUrl: string;
  embedUrl: string;
}

/** One path segment per capture; every pattern is anchored and allows at most a trailing slash. */
function pathMatch(url: URL, pattern: RegExp): string[] | null {
  const match = pattern.exec(url.pathname);
  return match ? match.slice(1) : null;
}

const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const YOUTUBE_HOSTS = ['youtube.com', 'www.youtube.com', 'm.youtube.com'];

function youtubeId(url: URL): string | null {
  if (url.hostname === 'youtu.be') return pathMatch(url, /^\/([A-Za-z0-9_-]{11})\/?$/)?.[0] ?? null;
  if (!YOUTUBE_HOSTS.includes(url.hostname)) return null;
  if (url.pathname === '/watch') {
    const id = url.searchParams.get('v');
    return id && YOUTUBE_ID.test(id) ? id : null;
  }
  return pathMatch(url, /^\/(?:shorts|live|embed)\/([A-Za-z0-9_-]{11})\/?$/)?.[0] ?? null;
}

const X_HOSTS = ['x.com', 'www.x.com', 'mobile.x.com', 'twitter.com', 'www.twitter.com', 'mobile.twitter.com'];
const BLUESKY_ACTOR =
  /(did:plc:[a-z2-7]{24}|did:web:[a-z0-9.-]{1,253}|(?:[a-zA-Z0-9-]{1,63}\.)+[a-zA-Z][a-zA-Z0-9-]{0,62})/;
const BLUESKY_POST = new RegExp(`^/profile/${BLUESKY_ACTOR.source}/post/([a-zA-Z0-9._~-]{1,64})/?$`);
const INSTAGRAM_HOSTS = ['instagram.com', 'www.instagram.com'];
const TIKTOK_HOSTS = ['tiktok.com', 'www.tiktok.com', 'm.tiktok.com'];
/** Hosts of the providers above: a Mastodon-shaped path there is not a Mastodon post. */
const KNOWN_HOSTS = new Set([
  'youtu.be',
  'bsky.app',
  't.me',
  ...YOUTUBE_HOSTS,
  ...X_HOSTS,
  ...INSTAGRAM_HOSTS,
  ...TIKTOK_HOSTS,
]);
/** A DNS name with at least one dot whose last label is letters: no IP address, no single label. */
const PUBLIC_HOSTNAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const EMBED_PROVIDERS: readonly EmbedProvider[] = [
  {
    id: 'youtube',
    name: 'YouTube',
    embedUrl: (url) => {
      const id = youtubeId(url);
      return id ? `https://www.youtube-nocookie.com/embed/${id}` : null;
    },
    frameOrigins: ['https://www.youtube-nocookie.com'],
    allow: 'encrypted-media; fullscreen; picture-in-picture',
    referrerPolicy: 'strict-origin-when-cross-origin',
    shape: 'video',
  },
  {
    id: 'x',
    name: 'X',
    embedUrl: (url) => {
      if (!X_HOSTS.includes(url.hostname)) return null;
      const [, id] = pathMatch(url, /^\/([A-Za-z0-9_]{1,15})\/status\/(\d{1,20})\/?$/) ?? [];
      return id ? `https://platform.twitter.com/embed/Tweet.html?id=${id}` : null;
    },
    frameOrigins: ['https://platform.twitter.com'],
    referrerPolicy: 'no-referrer',
    shape: 'post',
  },
  {
    id: 'bluesky',
    name: 'Bluesky',
    embedUrl: (url) => {
      if (url.hostname !== 'bsky.app') return null;
      const [actor, rkey] = pathMatch(url, BLUESKY_POST) ?? [];
      return actor && rkey ? `https://embed.bsky.app/embed/${actor}/app.bsky.feed.post/${rkey}` : null;
    },
    frameOrigins: ['https://embed.bsky.app'],
    referrerPolicy: 'no-referrer',
    shape: 'post',
  },
  {
    id: 'telegram',
    name: 'Telegram',
    embedUrl: (url) => {
      if (url.hostname !== 't.me') return null;
      const [channel, id] = pathMatch(url, /^\/([A-Za-z][A-Za-z0-9_]{3,31})\/(\d{1,12})\/?$/) ?? [];
      return channel && id ? `https://t.me/${channel}/${id}?embed=1` : null;
    },
    frameOrigins: ['https://t.me'],
    referrerPolicy: 'no-referrer',
    shape: 'post',
  },
  {
    id: 'instagram',
    name: 'Instagram',
    embedUrl: (url) => {
      if (!INSTAGRAM_HOSTS.includes(url.hostname)) return null;
      const [code] = pathMatch(url, /^\/(?:p|reel|tv)\/([A-Za-z0-9_-]{5,40})\/?$/) ?? [];
      return code ? `https://www.instagram.com/p/${code}/embed` : null;
    },
    frameOrigins: ['https://www.instagram.com'],
    referrerPolicy: 'no-referrer',
    shape: 'post',
  },
  {
    id: 'tiktok',
    name: 'TikTok',
    embedUrl: (url) => {
      if (!TIKTOK_HOSTS.includes(url.hostname)) return null;
      const [, id] = pathMatch(url, /^\/@([A-Za-z0-9_.]{1,24})\/video\/(\d{1,20})\/?$/) ?? [];
      return id ? `https://www.tiktok.com/embed/v2/${id}` : null;
    },
    frameOrigins: ['https://www.tiktok.com'],
    referrerPolicy: 'no-referrer',
    shape: 'video',
  },
  {
    id: 'mastodon',
    name: 'Mastodon',
    embedUrl: (url) => {
      if (KNOWN_HOSTS.has(url.hostname) || !PUBLIC_HOSTNAME.test(url.hostname)) return null;
      const [user, id] = pathMatch(url, /^\/@([A-Za-z0-9_]{1,30})\/(\d{1,20})\/?$/) ?? [];
      return user && id ? `https://${url.hostname}/@${user}/${id}/embed` : null;
    },
    // Mastodon runs on any host, and `frame-src https:` would let any site be framed should the
    // sanitizer ever slip. So only the instances a deployment lists (EMBED_MASTODON_HOSTS) are
    // framed, each added to frame-src; a post from any other instance is a card with a link only.
    frameOrigins: [],
    referrerPolicy: 'no-referrer',
    shape: 'post',
  },
];

/** Every origin a reader page may frame: the CSP's frame-src. */
export const EMBED_FRAME_ORIGINS: readonly string[] = [...new Set(EMBED_PROVIDERS.flatMap((p) => p.frameOrigins))];

/** The URL, if it is a plain https URL a browser would read the same way we do. */
function strictHttpsUrl(text: string): URL | null {
  if (!/^https:\/\/[^\s<>"'`\\]+$/.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return null;
  return url;
}

/** The provider and embed page of a pasted post URL, or null (then it stays a plain link). */
export function recogniseEmbed(text: string): RecognisedEmbed | null {
  const url = strictHttpsUrl(text.trim());
  if (!url) return null;
  for (const provider of EMBED_PROVIDERS) {
    const embedUrl = provider.embedUrl(url);
    if (embedUrl) return { provider, postUrl: text.trim(), embedUrl };
  }
  return null;
}

/**
 * The embed a card's attributes describe, only if the table agrees with all of them: the post URL
 * is recognised, by the named provider, and gives the same embed page.
 */
export function checkedEmbed(providerId: string, postUrl: string, embedUrl: string): RecognisedEmbed | null {
  const embed = recogniseEmbed(postUrl);
  if (!embed || embed.provider.id !== providerId || embed.embedUrl !== embedUrl) return null;
  return embed;
}

/**
 * Whether the embed may be framed: from a fixed provider's frame origin, or a Mastodon post on one
 * of `mastodonHosts` (the deployment's EMBED_MASTODON_HOSTS; a post on any other instance is a link).
 */
export function isFrameable(embed: RecognisedEmbed, mastodonHosts: readonly string[]): boolean {
  const url = new URL(embed.embedUrl);
  if (embed.provider.id === 'mastodon') return mastodonHosts.includes(url.hostname);
  return embed.provider.frameOrigins.includes(url.origin);
}

/** The CSP's frame-src of a page that shows cards: the fixed providers' origins and each listed instance. */
export function embedFrameOrigins(mastodonHosts: readonly string[]): string[] {
  return [...new Set([...EMBED_FRAME_ORIGINS, ...mastodonHosts.map((host) => `https://${host}`)])];
}

/** Names no public DNS resolves (RFC 2606, 6761, 6762, 7686, 8375, 9476, ICANN's .internal). */
const SPECIAL_USE_TLDS = new Set([
  'example',
  'invalid',
  'localhost',
  'test',
  'local',
  'onion',
  'arpa',
  'alt',
  'internal',
]);
/** The providers' own domains, their subdomains included: never a Mastodon instance. */
const PROVIDER_DOMAINS = [...KNOWN_HOSTS, ...EMBED_FRAME_ORIGINS.map((origin) => new URL(origin).hostname)];

/**
 * Why `host` cannot be listed as a Mastodon instance to frame, or null when it can: a lower-case
 * public DNS name (punycode for an international one), not a provider's.
 */
export function mastodonHostProblem(host: string): string | null {
  if (host.length > 253 || !PUBLIC_HOSTNAME.test(host))
    return 'is not a lower-case DNS hostname such as mastodon.social';
  if (SPECIAL_USE_TLDS.has(host.slice(host.lastIndexOf('.') + 1))) return 'is a special-use name, not a public one';
  if (PROVIDER_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`)))
    return "is one of the other providers' hosts";
  return null;
}
