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
import { HTML_PAYLOADS, MARKDOWN_PAYLOADS, UPDATE_TAGS } from '../helpers/xss-corpus.ts';

const ALLOWED_TAGS = new Set(UPDATE_TAGS);
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
  const normalised = value
    .trim()
    .replace(/[\u0000-\u0020\u007f]/g, '')
    .toLowerCase();
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

describe('scriptVectors (the checker itself)', () => {
  it('flags an event handler on a raw <img>', () => {
    expect(scriptVectors('<img src=x onerror=alert(1)>')).toEqual(['<img onerror="alert(1)"> event handler']);
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
      '# Headline',
      '',
      '**bold** *it* ~~gone~~',
      '',
      '- [link](https://a.example)',
      '- ![img](https://a.example/i.png)',
      '',
      '> quote',
      '',
      '| a |\n|---|\n| 1 |',
      '',
      '[mail](mailto:a@b.example) [call](tel:+441234)',
    ].join('\n');
    expect(scriptVectors(renderMarkdown(source))).toEqual([]);
  });
});
