/**
 * Mastodon posts framed from the instances a deployment lists (EMBED_MASTODON_HOSTS): the config
 * parser, the provider table's checks and the cards the renderer makes with and without the list.
 */
import { parseDocument, DomUtils } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { renderMarkdown } from '../../src/domain/markdown.ts';
import { DOCUMENT_HEADERS, EMBED_DOCUMENT_HEADERS, storyPageHeaders } from '../../src/http/plugins/security-headers.ts';
import {
  EMBED_FRAME_ORIGINS,
  embedFrameOrigins,
  isFrameable,
  mastodonHostProblem,
  recogniseEmbed,
} from '../../src/shared/embeds.ts';

const HOST = 'social.newsroom-test.org';
const LISTED = [HOST];
const POST = `https://${HOST}/@reporter/111111111111111111`;

function cards(html: string) {
  return DomUtils.findAll((el) => el.attribs.class === 'embed-card', parseDocument(html).children);
}

function configError(hosts: string): string {
  try {
    loadConfig({ REDIS_URL: 'redis://127.0.0.1:1234', EMBED_MASTODON_HOSTS: hosts });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  return expect.unreachable(`loadConfig accepted ${hosts}`);
}

describe('EMBED_MASTODON_HOSTS', () => {
  it('is none by default; hostnames are trimmed, lower-cased and listed once', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:1234' }).embeds.mastodonHosts).toEqual([]);
    const config = loadConfig({
      REDIS_URL: 'redis://127.0.0.1:1234',
      EMBED_MASTODON_HOSTS: ' Social.Newsroom-Test.org ,journa.host,, social.newsroom-test.org',
    });
    expect(config.embeds.mastodonHosts).toEqual([HOST, 'journa.host']);
    expect(Object.isFrozen(config.embeds.mastodonHosts)).toBe(true);
  });

  it.each([
    'https://mastodon.social',
    'mastodon.social/',
    'mastodon.social:443',
    '*.mastodon.social',
    'mastodon.social.',
    'mastodon..social',
    '-mastodon.social',
    'mástodon.social',
    'localhost',
    'mastodon',
    '127.0.0.1',
    '[::1]',
    'mastodon.example',
    'social.test',
    'intranet.local',
    'social.internal',
    'x.com',
    'mobile.twitter.com',
    't.me',
    'evil.t.me',
    'www.youtube-nocookie.com',
    'platform.twitter.com',
    'embed.bsky.app',
    'www.instagram.com',
  ])('refuses %s', (host) => {
    expect(configError(`journa.host,${host}`)).toMatch(/EMBED_MASTODON_HOSTS has ".+", which /);
  });

  it('accepts public names, punycode included', () => {
    for (const host of ['mastodon.social', 'journa.host', 'xn--mstodon-xwa.social', 'a.b-c.co.uk'])
      expect(mastodonHostProblem(host), host).toBeNull();
  });
});

describe('Mastodon cards with the instance list', () => {
  it('a post on a listed instance gets "Load" and its embed page', () => {
    const html = renderMarkdown(`${POST}\n> Quoted`, undefined, { mastodonHosts: LISTED });
    const [card] = cards(html);
    expect(card?.attribs).toMatchObject({
      'data-embed-provider': 'mastodon',
      'data-embed-post': POST,
      'data-embed-src': `${POST}/embed`,
    });
    expect(html).toContain('<button type="button" class="embed-load">Load the post from Mastodon</button>');
    expect(html).toContain(`Loading it connects you to ${HOST}.`);
    expect(html).not.toContain('iframe');
    expect(isFrameable(recogniseEmbed(POST)!, LISTED)).toBe(true);
  });

  it('a post on any other instance, or with no list, stays a link-only card', () => {
    for (const [source, hosts] of [
      ['https://mastodon.social/@Gargron/111', LISTED],
      [POST, []],
      [POST, undefined],
    ] as const) {
      const html = renderMarkdown(source, undefined, hosts && { mastodonHosts: hosts });
      expect(cards(html), source).toHaveLength(1);
      expect(html, source).not.toContain('<button');
      expect(html, source).not.toContain('connects you');
    }
  });

  it.each([
    `https://${HOST}.evil.org/@reporter/1`,
    `https://evil-${HOST}/@reporter/1`,
    `https://sub.${HOST}/@reporter/1`,
    `https://${HOST.replace('o', '0')}/@reporter/1`,
    // A Cyrillic о: the URL parser turns the name into punycode, another host.
    `https://s\u043ecial.newsroom-test.org/@reporter/1`,
  ])('a look-alike of a listed instance is not framed: %s', (url) => {
    const embed = recogniseEmbed(url);
    if (embed) expect(isFrameable(embed, LISTED)).toBe(false);
    expect(renderMarkdown(url, undefined, { mastodonHosts: LISTED })).not.toContain('<button');
  });

  it.each([
    `https://${HOST}:8443/@reporter/1`,
    `http://${HOST}/@reporter/1`,
    `https://user@${HOST}/@reporter/1`,
    `https://${HOST}/@reporter/1/../../admin`,
    `https://${HOST}/@reporter`,
    'https://x.com/@reporter/1',
    'https://t.me/@reporter/1',
    'https://www.youtube.com/@reporter/1',
  ])('%s is no Mastodon post at all', (url) => {
    expect(recogniseEmbed(url)?.provider.id).not.toBe('mastodon');
  });

  it("listing an instance changes nothing for the other providers' checks", () => {
    const x = recogniseEmbed('https://x.com/Reuters/status/1')!;
    expect(isFrameable(x, LISTED)).toBe(true);
    expect(isFrameable({ ...x, embedUrl: `https://${HOST}/embed/Tweet.html?id=1` }, LISTED)).toBe(false);
  });
});

describe("the pages' frame-src", () => {
  it("is the fixed providers' origins and then each listed instance, nothing wider", () => {
    expect(embedFrameOrigins([])).toEqual([...EMBED_FRAME_ORIGINS]);
    expect(embedFrameOrigins([HOST, 'journa.host'])).toEqual([
      ...EMBED_FRAME_ORIGINS,
      `https://${HOST}`,
      'https://journa.host',
    ]);
  });

  it('the story pages add the listed instances to frame-src and change nothing else', () => {
    expect(storyPageHeaders([])).toEqual({ page: DOCUMENT_HEADERS, embed: EMBED_DOCUMENT_HEADERS });
    const { page, embed } = storyPageHeaders([HOST]);
    const fixed = `frame-src ${EMBED_FRAME_ORIGINS.join(' ')}`;
    for (const [listed, plain] of [
      [page, DOCUMENT_HEADERS],
      [embed, EMBED_DOCUMENT_HEADERS],
    ] as const) {
      expect(listed['content-security-policy']).toBe(
        plain['content-security-policy']!.replace(fixed, `${fixed} https://${HOST}`),
      );
      expect({ ...listed, 'content-security-policy': '' }).toEqual({ ...plain, 'content-security-policy': '' });
    }
  });
});
