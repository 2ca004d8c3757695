/** The byline line readers see: list style, a lone author's title, escaping, older updates. */
import { describe, expect, it } from 'vitest';
import { bylineHtml, bylinesOf, bylineText } from '../../src/shared/byline-html.ts';

const person = (displayName: string, title: string | null = null) => ({ name: displayName, displayName, title });

describe('bylines', () => {
  it('joins names the way newsrooms write them, with a lone author’s title', () => {
    expect(bylineText([person('A')])).toBe('By A');
    expect(bylineText([person('A', 'Kyiv correspondent')])).toBe('By A, Kyiv correspondent');
    expect(bylineText([person('A', 'Kyiv correspondent'), person('B')])).toBe('By A and B');
    expect(bylineText([person('A'), person('B'), person('C')])).toBe('By A, B and C');
  });

  it('escapes display names, titles and avatar URLs', () => {
    const html = bylineHtml({
      author: 'x',
      authors: [
        { name: 'x', displayName: '<img src=x onerror=alert(1)>', title: '"><script>', avatarUrl: '"onload="x' },
      ],
    });
    expect(html).not.toMatch(/<img src=x|<script>|"onload/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('signs an update stored before bylines with its poster', () => {
    expect(bylinesOf({ author: 'tester' })).toEqual([{ name: 'tester', displayName: 'tester', title: null }]);
    expect(bylineHtml({ author: 'tester' })).toBe(
      '<footer class="update-author">By <span class="byline-name">tester</span></footer>',
    );
  });
});
