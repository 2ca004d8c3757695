/**
 * The XSS corpus: Markdown and raw-HTML payloads that try to get script into an update. The
 * Markdown renderer's unit test renders every one of them; the browser test posts them as
 * updates and loads them in Chromium. Most call `alert(1)`; `withCanary` makes a copy that sets
 * `top.__xss` instead, so a payload that runs is caught even where no dialog would show.
 */

/**
 * The tags update HTML may hold, written here rather than imported from src/, so the XSS tests
 * check the sanitizer against an independent expectation.
 */
export const UPDATE_TAGS: readonly string[] = [
  'p',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'code',
  'ul',
  'ol',
  'li',
  'strong',
  'em',
  'b',
  'i',
  's',
  'del',
  'sub',
  'sup',
  'a',
  'img',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

export interface XssPayload {
  name: string;
  source: string;
}

/** Markdown syntax that tries to produce a dangerous link or image. Rendered through renderMarkdown. */
export const MARKDOWN_PAYLOADS: readonly XssPayload[] = [
  { name: 'link javascript:', source: '[x](javascript:alert(1))' },
  { name: 'link JaVaScRiPt: mixed case', source: '[x](JaVaScRiPt:alert(1))' },
  { name: 'link leading space javascript:', source: '[x]( javascript:alert(1))' },
  { name: 'link decimal-entity &#106;avascript:', source: '[x](&#106;avascript:alert(1))' },
  { name: 'link hex-entity &#x6A;avascript:', source: '[x](&#x6A;avascript:alert(1))' },
  {
    name: 'link zero-padded entities',
    source:
      '[x](&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1))',
  },
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
  {
    name: 'link fullwidth javascript',
    source: '[x](\uff4a\uff41\uff56\uff41\uff53\uff43\uff52\uff49\uff50\uff54:alert(1))',
  },
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
  {
    name: 'reference image data:image/svg+xml',
    source: '![x][img]\n\n[img]: data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+',
  },
  { name: 'onmouseover in image title', source: '![x](https://a.example/i.png "onmouseover=alert(1)")' },
  { name: 'onmouseover in link title', source: '[x](https://a.example "onmouseover=alert(1)")' },
  { name: 'link title quote-break injection', source: '[x](https://a.example "\\" onclick=alert(1) x=\\"")' },
  {
    name: 'link title single-quote injection',
    source: "[x](https://a.example 'x\\' onfocus=alert(1) autofocus x=\\'')",
  },
  { name: 'image alt quote-break injection', source: '![x" onerror="alert(1)](https://a.example/i.png)' },
  { name: 'quote inside link destination', source: '[x](https://a.example/"onmouseover="alert(1))' },
  { name: 'protocol-relative link', source: '[x](//evil.example/x.js)' },
];

/** Raw HTML. Rendered through renderMarkdown (html:false) and fed straight to sanitizeUpdateHtml. */
export const HTML_PAYLOADS: readonly XssPayload[] = [
  { name: '<script>', source: '<script>alert(1)</script>' },
  { name: '<SCRIPT SRC> upper case', source: '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>' },
  { name: 'split <scr<script>ipt>', source: '<scr<script>ipt>alert(1)</scr</script>ipt>' },
  { name: '<img onerror>', source: '<img src=x onerror=alert(1)>' },
  { name: '<img/src/onerror> slash separators', source: '<img/src=x/onerror=alert(1)>' },
  { name: '<img> backtick attribute', source: '<img src=`x`onerror=alert(1)>' },
  { name: '<img src=javascript:>', source: '<img src="javascript:alert(1)">' },
  { name: '<IMG SRC=JaVaScRiPt:>', source: "<IMG SRC=JaVaScRiPt:alert('XSS')>" },
  {
    name: '<img> entity-encoded javascript:',
    source: '<img src=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>',
  },
  { name: '<img> tab entity in scheme', source: '<img src="jav&#x09;ascript:alert(1)">' },
  { name: '<img> newline entity in scheme', source: '<img src="jav&#x0A;ascript:alert(1)">' },
  { name: '<img> leading control chars', source: '<img src=" &#14;  javascript:alert(1)">' },
  { name: '<img> data:image/svg+xml', source: '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">' },
  {
    name: '<img> onmouseover in title',
    source: '<img src="https://a.example/i.png" title="x" onmouseover="alert(1)">',
  },
  { name: '<svg onload>', source: '<svg onload=alert(1)>' },
  { name: '<svg><script>', source: '<svg><script>alert(1)</script></svg>' },
  {
    name: '<svg><a xlink:href>',
    source: '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
  },
  {
    name: '<svg><animate> href',
    source: '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
  },
  { name: '<math> namespace confusion', source: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>' },
  { name: '<math href>', source: '<math href="javascript:alert(1)"><mi>x</mi></math>' },
  { name: '<svg><style> namespace confusion', source: '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">' },
  { name: '<a href=javascript:>', source: '<a href="javascript:alert(1)">x</a>' },
  { name: '<a href> leading spaces', source: '<a href="   javascript:alert(1)">x</a>' },
  { name: '<a href> tab entity', source: '<a href="java&#x09;script:alert(1)">x</a>' },
  { name: '<a href> entity + &colon;', source: '<a href="&#x6A;avascript&colon;alert(1)">x</a>' },
  { name: '<a href=vbscript:>', source: '<a href="vbscript:msgbox(1)">x</a>' },
  {
    name: '<a href=data:text/html>',
    source: '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  },
  { name: '<a onclick style>', source: '<a href="https://ok.example" onclick="alert(1)" style="position:fixed">x</a>' },
  { name: '<a formaction>', source: '<a href="https://ok.example" formaction="javascript:alert(1)">x</a>' },
  {
    name: '<a title> entity quote-break',
    source: '<a href="https://ok.example" title="&quot; onclick=alert(1) x=&quot;">x</a>',
  },
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
  {
    name: '<td background>',
    source: '<table><tr><td background="javascript:alert(1)" onclick="alert(1)">x</td></tr></table>',
  },
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

/** Every payload, Markdown first. */
export const XSS_CORPUS: readonly XssPayload[] = [...MARKDOWN_PAYLOADS, ...HTML_PAYLOADS];

/** What a canary payload runs instead of `alert(1)`: a flag on the top window, visible from any frame. */
export const CANARY_SCRIPT = 'top.__xss=1';

const ALERT_CALLS = /alert\((?:1|'XSS')\)|alert&#40;1&#41;|msgbox\(1\)/g;

/**
 * The payload with every script call replaced by CANARY_SCRIPT, also inside base64 `data:` URLs
 * (whose decoded content calls alert). Payloads without a script call come back unchanged.
 */
export function withCanary(source: string): string {
  return source
    .replace(/base64,([A-Za-z0-9+/]+=*)/g, (_match, encoded: string) => {
      const decoded = Buffer.from(encoded, 'base64').toString('utf8');
      return `base64,${Buffer.from(decoded.replace(ALERT_CALLS, CANARY_SCRIPT)).toString('base64')}`;
    })
    .replace(ALERT_CALLS, CANARY_SCRIPT);
}

/** The corpus with canaries, under the same names (suffixed "(canary)"). */
export const XSS_CANARY_CORPUS: readonly XssPayload[] = XSS_CORPUS.map(({ name, source }) => ({
  name: `${name} (canary)`,
  source: withCanary(source),
}));
