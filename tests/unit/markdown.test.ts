/**
 * Update bodies are rendered from editor Markdown and shown to every reader, so the renderer is
 * the XSS boundary. Every payload below is rendered, re-parsed with a real HTML parser
 * (htmlparser2, which decodes entities in attribute values the way a browser does) and checked
 * for anything that could run script: a tag outside the allowlist, an event handler, a
 * style/srcdoc/formaction/xlink:href attribute, or a URL whose scheme is not http/https/mailto/tel.
 */
import { describe, it, expect } from 'vitest';
import { parseDocument, DomUtils } from 'htmlparser2';
import { renderMarkdown, sanitizeUpdateHtml } from '../../src/domain/markdown.ts';

const ALLOWED_TAGS = new Set([
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code',
  'ul', 'ol', 'li', 'strong', 'em', 'b', 'i', 's', 'del', 'sub', 'sup', 'a', 'img',
  'table', 'thead', 'tbody', 'tr', 'th', 'td',
]);
const FORBIDDEN_ATTRIBUTES = new Set(['style', 'srcdoc', 'formaction', 'xlink:href']);
/** Attributes a browser resolves as a URL (href/src are the ones the allowlist can emit). */
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'data', 'poster', 'background', 'cite']);
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);

/**
 * The scheme a browser would see, or null for a relative URL (`/path`, `#frag`, `?q`, `x.png`).
 * Browsers strip leading/trailing C0 controls and spaces and drop tabs/newlines anywhere before
 * parsing; this removes every ASCII whitespace/control character, which is stricter.
 */
function urlScheme(value: string): string | null {
  const normalised = value.trim().replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
  const match = /^([a-z][a-z0-9+.-]*):/.exec(normalised);
  return match ? match[1]! : null;
}

/** Everything in `html` that could execute script; an empty list means the output is safe. */
function scriptVectors(html: string): string[] {
  const problems: string[] = [];
  const document = parseDocument(html);
  for (const node of DomUtils.filter(() => true, document.children, true)) {
    if (DomUtils.isComment(node) || DomUtils.isCDATA(node)) {
      problems.push(`comment/CDATA node: ${DomUtils.getOuterHTML(node)}`);
      continue;
    }
    if (!DomUtils.isTag(node)) continue;
    if (!ALLOWED_TAGS.has(node.name)) problems.push(`<${node.name}> is not an allowed tag`);
    for (const [name, value] of Object.entries(node.attribs)) {
      if (name.startsWith('on')) problems.push(`<${node.name} ${name}="${value}"> event handler`);
      if (FORBIDDEN_ATTRIBUTES.has(name)) problems.push(`<${node.name} ${name}="${value}"> forbidden attribute`);
      if (URL_ATTRIBUTES.has(name)) {
        const scheme = urlScheme(value);
        if (scheme !== null && !SAFE_SCHEMES.has(scheme)) {
          problems.push(`<${node.name} ${name}="${value}"> unsafe scheme ${scheme}:`);
        }
      }
    }
  }
  return problems;
}

interface Payload {
  name: string;
  source: string;
}

/** Markdown syntax that tries to produce a dangerous link or image. Rendered through renderMarkdown. */
const MARKDOWN_PAYLOADS: Payload[] = [
  { name: 'link javascript:', source: '[x](javascript:alert(1))' },
  { name: 'link JaVaScRiPt: mixed case', source: '[x](JaVaScRiPt:alert(1))' },
  { name: 'link leading space javascript:', source: '[x]( javascript:alert(1))' },
  { name: 'link decimal-entity &#106;avascript:', source: '[x](&#106;avascript:alert(1))' },
  { name: 'link hex-entity &#x6A;avascript:', source: '[x](&#x6A;avascript:alert(1))' },
  { name: 'link zero-padded entities', source: '[x](&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1))' },
  { name: 'link javascript&colon;', source: '[x](javascript&colon;alert(1))' },
  { name: 'link entity-encoded parens', source: '[x](javascript:alert&#40;1&#41;)' },
  { name: 'link tab-split java\\tscript: in <>', source: '[x](<java\tscript:alert(1)>)' },
  { name: 'link entity tab java&#9;script:', source: '[x](java&#9;script:alert(1))' },
  { name: 'link entity newline java&#10;script:', source: '[x](java&#10;script:alert(1))' },
  { name: 'link entity CR java&#13;script:', source: '[x](java&#13;script:alert(1))' },
  { name: 'link leading control char', source: '[x](\u000bjavascript:alert(1))' },
  { name: 'link NUL inside scheme', source: '[x](java\u0000script:alert(1))' },
  { name: 'link javascript:// comment trick', source: '[x](javascript://%0Aalert(1))' },
  { name: 'link backtick-wrapped javascript:', source: '[x](`javascript:alert(1)`)' },
  { name: 'link literal \\u escape', source: '[x](\\u006Aavascript:alert(1))' },
  { name: 'link fullwidth javascript', source: '[x](\uff4a\uff41\uff56\uff41\uff53\uff43\uff52\uff49\uff50\uff54:alert(1))' },
  { name: 'link vbscript:', source: '[x](vbscript:msgbox(1))' },
  { name: 'link data:text/html', source: '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)' },
  { name: 'link file:', source: '[x](file:///etc/passwd)' },
  { name: 'image javascript: src', source: '![x](javascript:alert(1))' },
  { name: 'image data:text/html', source: '![x](data:text/html,<script>alert(1)</script>)' },
  { name: 'image data:image/svg+xml', source: '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)' },
  { name: 'image data:image/svg+xml utf8', source: '![x](data:image/svg+xml;utf8,%3Csvg%20onload=alert(1)%3E)' },
  { name: 'autolink <javascript:>', source: '<javascript:alert(1)>' },
  { name: 'autolink <JAVASCRIPT:> upper case', source: '<JAVASCRIPT:alert(1)>' },
  { name: 'autolink <vbscript:>', source: '<vbscript:msgbox(1)>' },
  { name: 'autolink <data:text/html>', source: '<data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>' },
  { name: 'bare javascript: text (linkify)', source: 'see javascript:alert(1) here' },
  { name: 'reference link javascript:', source: '[x][evil]\n\n[evil]: javascript:alert(1)' },
  { name: 'reference link with title', source: '[x][evil]\n\n[evil]: JavaScript:alert(1) "title"' },
  { name: 'reference image data:image/svg+xml', source: '![x][img]\n\n[img]: data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+' },
  { name: 'onmouseover in image title', source: '![x](https://a.example/i.png "onmouseover=alert(1)")' },
  { name: 'onmouseover in link title', source: '[x](https://a.example "onmouseover=alert(1)")' },
  { name: 'link title quote-break injection', source: '[x](https://a.example "\\" onclick=alert(1) x=\\"")' },
  { name: 'link title single-quote injection', source: "[x](https://a.example 'x\\' onfocus=alert(1) autofocus x=\\'')" },
  { name: 'image alt quote-break injection', source: '![x" onerror="alert(1)](https://a.example/i.png)' },
  { name: 'quote inside link destination', source: '[x](https://a.example/"onmouseover="alert(1))' },
  { name: 'protocol-relative link', source: '[x](//evil.example/x.js)' },
];

/** Raw HTML. Rendered through renderMarkdown (html:false) and fed straight to sanitizeUpdateHtml. */
const HTML_PAYLOADS: Payload[] = [
  { name: '<script>', source: '<script>alert(1)</script>' },
  { name: '<SCRIPT SRC> upper case', source: '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>' },
  { name: 'split <scr<script>ipt>', source: '<scr<script>ipt>alert(1)</scr</script>ipt>' },
  { name: '<img onerror>', source: '<img src=x onerror=alert(1)>' },
  { name: '<img/src/onerror> slash separators', source: '<img/src=x/onerror=alert(1)>' },
  { name: '<img> backtick attribute', source: '<img src=`x`onerror=alert(1)>' },
  { name: '<img src=javascript:>', source: '<img src="javascript:alert(1)">' },
  { name: '<IMG SRC=JaVaScRiPt:>', source: "<IMG SRC=JaVaScRiPt:alert('XSS')>" },
  { name: '<img> entity-encoded javascript:', source: '<img src=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>' },
  { name: '<img> tab entity in scheme', source: '<img src="jav&#x09;ascript:alert(1)">' },
  { name: '<img> newline entity in scheme', source: '<img src="jav&#x0A;ascript:alert(1)">' },
  { name: '<img> leading control chars', source: '<img src=" &#14;  javascript:alert(1)">' },
  { name: '<img> data:image/svg+xml', source: '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">' },
  { name: '<img> onmouseover in title', source: '<img src="https://a.example/i.png" title="x" onmouseover="alert(1)">' },
  { name: '<svg onload>', source: '<svg onload=alert(1)>' },
  { name: '<svg><script>', source: '<svg><script>alert(1)</script></svg>' },
  { name: '<svg><a xlink:href>', source: '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>' },
  { name: '<svg><animate> href', source: '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>' },
  { name: '<math> namespace confusion', source: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>' },
  { name: '<math href>', source: '<math href="javascript:alert(1)"><mi>x</mi></math>' },
  { name: '<svg><style> namespace confusion', source: '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">' },
  { name: '<a href=javascript:>', source: '<a href="javascript:alert(1)">x</a>' },
  { name: '<a href> leading spaces', source: '<a href="   javascript:alert(1)">x</a>' },
  { name: '<a href> tab entity', source: '<a href="java&#x09;script:alert(1)">x</a>' },
  { name: '<a href> entity + &colon;', source: '<a href="&#x6A;avascript&colon;alert(1)">x</a>' },
  { name: '<a href=vbscript:>', source: '<a href="vbscript:msgbox(1)">x</a>' },
  { name: '<a href=data:text/html>', source: '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>' },
  { name: '<a onclick style>', source: '<a href="https://ok.example" onclick="alert(1)" style="position:fixed">x</a>' },
  { name: '<a formaction>', source: '<a href="https://ok.example" formaction="javascript:alert(1)">x</a>' },
  { name: '<a title> entity quote-break', source: '<a href="https://ok.example" title="&quot; onclick=alert(1) x=&quot;">x</a>' },
  { name: '<iframe src=javascript:>', source: '<iframe src="javascript:alert(1)"></iframe>' },
  { name: '<iframe srcdoc>', source: '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>' },
  { name: '<object data>', source: '<object data="javascript:alert(1)"></object>' },
  { name: '<embed src>', source: '<embed src="javascript:alert(1)">' },
  { name: '<style>', source: "<style>@import 'https://evil.example/x.css';</style>" },
  { name: '<p style>', source: '<p style="background:url(javascript:alert(1))">x</p>' },
  { name: '<base href>', source: '<base href="javascript:alert(1)//">' },
  { name: '<meta http-equiv=refresh>', source: '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">' },
  { name: '<link rel=stylesheet>', source: '<link rel="stylesheet" href="https://evil.example/x.css">' },
  { name: '<form action=javascript:>', source: '<form action="javascript:alert(1)"><input type="submit"></form>' },
  { name: '<button formaction>', source: '<form><button formaction="javascript:alert(1)">x</button></form>' },
  { name: '<input autofocus onfocus>', source: '<input onfocus=alert(1) autofocus>' },
  { name: '<details ontoggle>', source: '<details open ontoggle=alert(1)>' },
  { name: '<body onload>', source: '<body onload=alert(1)>' },
  { name: '<div onmouseover>', source: '<div onmouseover="alert(1)">x</div>' },
  { name: '<td background>', source: '<table><tr><td background="javascript:alert(1)" onclick="alert(1)">x</td></tr></table>' },
  { name: '<video><source onerror>', source: '<video><source onerror=alert(1)></video>' },
  { name: 'unknown element <x onclick>', source: '<x onclick=alert(1)>x</x>' },
  { name: '<template>', source: '<template><img src=x onerror=alert(1)></template>' },
  { name: 'HTML comment hiding <img>', source: '<!--<img src=x onerror=alert(1)>-->' },
  { name: 'comment closed early --!>', source: '<!-- --!><img src=x onerror=alert(1)> -->' },
  { name: 'IE conditional comment', source: '<!--[if gte IE 4]><script>alert(1)</script><![endif]-->' },
  { name: 'CDATA trick', source: '<![CDATA[<img src=x onerror=alert(1)>]]>' },
  { name: 'processing instruction', source: '<?xml-stylesheet href="javascript:alert(1)"?><p>x</p>' },
  { name: '<noscript> title mXSS', source: '<noscript><p title="</noscript><img src=x onerror=alert(1)>">' },
  { name: '<xmp> title mXSS', source: '<xmp><p title="</xmp><img src=x onerror=alert(1)>">' },
  { name: '<textarea> mXSS', source: '<textarea><img src=x onerror=alert(1)></textarea>' },
  { name: '<code class> event handler', source: '<pre><code class="language-js" onclick="alert(1)">x</code></pre>' },
  { name: 'markdown inside raw html', source: '<div onclick="alert(1)">\n\n[x](javascript:alert(1))\n\n</div>' },
];

describe('scriptVectors (the checker itself)', () => {
  it('flags an event handler on a raw <img>', () => {
    expect(scriptVectors('<img src=x onerror=alert(1)>')).toEqual([
      '<img onerror="alert(1)"> event handler',
    ]);
  });

  it('flags a javascript: href on a raw <a>', () => {
    expect(scriptVectors('<a href="javascript:alert(1)">x</a>')).toEqual([
      '<a href="javascript:alert(1)"> unsafe scheme javascript:',
    ]);
  });

  it('flags disallowed tags, forbidden attributes and entity/whitespace-obfuscated schemes', () => {
    expect(scriptVectors('<script>alert(1)</script>')).toEqual(['<script> is not an allowed tag']);
    expect(scriptVectors('<p style="x">y</p>')).toEqual(['<p style="x"> forbidden attribute']);
    expect(scriptVectors('<a href=" &#x6A;ava&#9;script&colon;alert(1)">x</a>')).toHaveLength(1);
    expect(scriptVectors('<img src="DATA:image/svg+xml,x">')).toHaveLength(1);
  });

  it('accepts safe output', () => {
    expect(
      scriptVectors(
        '<p><a href="https://a.example/" rel="noopener" target="_blank">x</a> <a href="#f">f</a> ' +
          '<a href="/rel">r</a> <a href="mailto:a@b.example">m</a> <img src="https://a.example/i.png" alt="i" /></p>',
      ),
    ).toEqual([]);
  });
});

describe('renderMarkdown XSS corpus', () => {
  it('has at least 40 payloads', () => {
    expect(MARKDOWN_PAYLOADS.length + HTML_PAYLOADS.length).toBeGreaterThanOrEqual(40);
  });

  it.each([...MARKDOWN_PAYLOADS, ...HTML_PAYLOADS])('renderMarkdown: $name', ({ source }) => {
    expect(scriptVectors(renderMarkdown(source))).toEqual([]);
  });
});

describe('sanitizeUpdateHtml XSS corpus (raw HTML)', () => {
  it.each(HTML_PAYLOADS)('sanitizeUpdateHtml: $name', ({ source }) => {
    expect(scriptVectors(sanitizeUpdateHtml(source))).toEqual([]);
  });
});

/** Parse rendered HTML for structural assertions instead of comparing exact strings. */
function dom(html: string) {
  const document = parseDocument(html);
  const byTag = (tag: string) => DomUtils.getElementsByTagName(tag, document.children, true);
  return { document, byTag, text: DomUtils.textContent(document) };
}

describe('renderMarkdown keeps ordinary Markdown', () => {
  it('renders bold and italic', () => {
    const { byTag } = dom(renderMarkdown('**bold** and *italic* and _also_'));
    expect(byTag('strong').map((el) => DomUtils.textContent(el))).toEqual(['bold']);
    expect(byTag('em').map((el) => DomUtils.textContent(el))).toEqual(['italic', 'also']);
  });

  it('renders headings', () => {
    const { byTag } = dom(renderMarkdown('# One\n\n## Two\n\n### Three'));
    expect(byTag('h1').map((el) => DomUtils.textContent(el))).toEqual(['One']);
    expect(byTag('h2').map((el) => DomUtils.textContent(el))).toEqual(['Two']);
    expect(byTag('h3').map((el) => DomUtils.textContent(el))).toEqual(['Three']);
  });

  it('renders unordered and ordered lists, keeping the start number', () => {
    const { byTag } = dom(renderMarkdown('- a\n- b\n\n3. c\n4. d'));
    expect(byTag('ul')).toHaveLength(1);
    const ol = byTag('ol');
    expect(ol).toHaveLength(1);
    expect(ol[0]!.attribs.start).toBe('3');
    expect(byTag('li').map((el) => DomUtils.textContent(el).trim())).toEqual(['a', 'b', 'c', 'd']);
  });

  it('renders blockquotes', () => {
    const { byTag } = dom(renderMarkdown('> quoted line'));
    expect(byTag('blockquote').map((el) => DomUtils.textContent(el).trim())).toEqual(['quoted line']);
  });

  it('renders fenced code blocks with the language class, escaping their content', () => {
    const html = renderMarkdown('```js\nconst a = "<b>";\n```');
    const { byTag } = dom(html);
    expect(byTag('pre')).toHaveLength(1);
    const code = byTag('code');
    expect(code).toHaveLength(1);
    expect(code[0]!.attribs.class).toBe('language-js');
    expect(DomUtils.textContent(code[0]!)).toBe('const a = "<b>";\n');
    expect(byTag('b')).toHaveLength(0);
    expect(renderMarkdown('use `npm test` now')).toBe('<p>use <code>npm test</code> now</p>');
  });

  it('renders tables (markdown-it\'s style="text-align:…" on cells is stripped)', () => {
    const { byTag } = dom(renderMarkdown('| a | b |\n|:--|--:|\n| 1 | 2 |'));
    expect(byTag('table')).toHaveLength(1);
    expect(byTag('thead')).toHaveLength(1);
    expect(byTag('tbody')).toHaveLength(1);
    expect(byTag('tr')).toHaveLength(2);
    expect(byTag('th').map((el) => DomUtils.textContent(el))).toEqual(['a', 'b']);
    expect(byTag('td').map((el) => DomUtils.textContent(el))).toEqual(['1', '2']);
    for (const cell of [...byTag('th'), ...byTag('td')]) expect(cell.attribs.style).toBeUndefined();
  });

  it('keeps an https link and forces rel and target', () => {
    const { byTag } = dom(renderMarkdown('[Reuters](https://www.reuters.com/world/ "wire")'));
    const [a, ...rest] = byTag('a');
    expect(rest).toHaveLength(0);
    expect(a!.attribs).toEqual({
      href: 'https://www.reuters.com/world/',
      title: 'wire',
      rel: 'noopener noreferrer nofollow',
      target: '_blank',
    });
    expect(DomUtils.textContent(a!)).toBe('Reuters');
  });

  it('keeps an https image with its alt text', () => {
    const { byTag } = dom(renderMarkdown('![Crowd outside parliament](https://img.example/crowd.jpg)'));
    const [img, ...rest] = byTag('img');
    expect(rest).toHaveLength(0);
    expect(img!.attribs.src).toBe('https://img.example/crowd.jpg');
    expect(img!.attribs.alt).toBe('Crowd outside parliament');
  });

  it('autolinks a bare URL', () => {
    const { byTag } = dom(renderMarkdown('Live at https://news.example/live now'));
    const [a, ...rest] = byTag('a');
    expect(rest).toHaveLength(0);
    expect(a!.attribs.href).toBe('https://news.example/live');
    expect(a!.attribs.rel).toBe('noopener noreferrer nofollow');
    expect(a!.attribs.target).toBe('_blank');
  });

  it('turns single newlines into line breaks', () => {
    const { byTag, text } = dom(renderMarkdown('first line\nsecond line'));
    expect(byTag('p')).toHaveLength(1);
    expect(byTag('br')).toHaveLength(1);
    expect(text).toContain('first line');
    expect(text).toContain('second line');
  });

  it('keeps mailto links', () => {
    const { byTag } = dom(renderMarkdown('[Tips](mailto:tips@news.example)'));
    const [a, ...rest] = byTag('a');
    expect(rest).toHaveLength(0);
    expect(a!.attribs.href).toBe('mailto:tips@news.example');
    expect(DomUtils.textContent(a!)).toBe('Tips');
  });

  it('shows raw HTML as text rather than dropping it', () => {
    const html = renderMarkdown('a <b>tag</b>');
    expect(dom(html).byTag('b')).toHaveLength(0);
    expect(dom(html).text).toBe('a <b>tag</b>');
  });

  it('keeps the whole ordinary-Markdown output free of script vectors', () => {
    const source = [
      '# Headline', '', '**bold** *it* ~~gone~~', '', '- [link](https://a.example)', '- ![img](https://a.example/i.png)',
      '', '> quote', '', '| a |\n|---|\n| 1 |', '', '[mail](mailto:a@b.example) [call](tel:+441234)',
    ].join('\n');
    expect(scriptVectors(renderMarkdown(source))).toEqual([]);
  });
});
