/**
 * Cases about the body as bytes: JSON that does not parse, sizes over the limits, deep nesting,
 * prototype-poisoning keys, and media types other than JSON.
 */
import { bearer, KIB, type Case, type RawBody } from './requests.ts';
import {
  BODY_ROUTES,
  mutated,
  PATCH_UPDATE,
  POST_STORY,
  POST_UPDATE,
  PREVIEW,
  routeReq,
  SCHEMA_ROUTES,
  SUBSCRIBE,
  validBody,
} from './routes.ts';
import { type Ctx } from './setup.ts';

const BAD_SYNTAX: [string, RawBody][] = [
  ['truncated object', '{"body":"x","title":"y"'],
  ['truncated string', '{"body":"x'],
  ['trailing garbage', '{"body":"x"} and more'],
  ['two documents', '{"body":"x"}{"body":"y"}'],
  ['single quotes', "{'body':'x'}"],
  ['unquoted keys', '{body:"x"}'],
  ['NaN', '{"body":"x","n":NaN}'],
  ['Infinity', '{"body":"x","n":-Infinity}'],
  ['comments', '/* note */ {"body":"x"} // end'],
  ['trailing comma', '{"body":"x",}'],
  ['invalid escape', '{"body":"\\x41"}'],
  ['raw control character in a string', '{"body":"a\u0001b"}'],
  ['invalid UTF-8 after the document', new Uint8Array([...new TextEncoder().encode('{"body":"x"}'), 0xff, 0xfe])],
  ['BOM only', '\ufeff'],
  ['empty', ''],
  ['whitespace only', ' \r\n\t '],
];

const NOT_AN_OBJECT: [string, string][] = [
  ['null', 'null'],
  ['an array', '[]'],
  ['an array holding the object', '[{"body":"x","title":"y","name":"x","endpoint":"https://8.8.8.8/x"}]'],
  ['a number', '42'],
  ['a string', '"body"'],
  ['true', 'true'],
];

export function badJsonCases(): Case[] {
  const cases: Case[] = [];
  for (const route of BODY_ROUTES) {
    for (const [what, body] of BAD_SYNTAX) {
      // Raw bytes would go without a Content-Type; this family is about JSON that does not parse.
      cases.push({
        name: `${route.label} · bad JSON · ${what}`,
        req: (c) => routeReq(route, c, body),
        status: 400,
        code: 'INVALID_JSON',
      });
    }
  }
  for (const route of SCHEMA_ROUTES) {
    for (const [what, body] of NOT_AN_OBJECT) {
      cases.push({
        name: `${route.label} · JSON that is not an object · ${what}`,
        req: (c) => routeReq(route, c, body),
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  }
  return cases;
}

export function tooLargeCases(): Case[] {
  const cases: Case[] = [];
  const over = (bytes: number) => `{"body":"${'x'.repeat(bytes)}"}`;
  for (const route of BODY_ROUTES) {
    cases.push({
      name: `${route.label} · body over 256 KiB (300 KiB)`,
      req: (c) => routeReq(route, c, over(300 * KIB)),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
    cases.push({
      name: `${route.label} · body of 2 MiB`,
      req: (c) => routeReq(route, c, over(2048 * KIB)),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
  }
  for (const route of [POST_UPDATE, SUBSCRIBE, POST_STORY]) {
    cases.push({
      name: `${route.label} · 400 KiB streamed without Content-Length`,
      req: (c) => routeReq(route, c, { stream: 400 * KIB }),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
  }
  const updateBodies: [string, string][] = [
    ['64 KiB + 1 byte of ASCII', 'a'.repeat(64 * KIB + 1)],
    ['70,000 ASCII characters (over the schema limit too)', 'a'.repeat(70_000)],
    ['20,000 emoji (80 KB in UTF-8, under the character limit)', '🔥'.repeat(20_000)],
    ['40,000 × "é" (80 KB in UTF-8)', 'é'.repeat(40_000)],
  ];
  for (const route of [POST_UPDATE, PATCH_UPDATE, PREVIEW]) {
    for (const [what, text] of updateBodies) {
      cases.push({
        name: `${route.label} · update body ${what}`,
        req: (c) => routeReq(route, c, JSON.stringify(mutated(route, c, 'body', text))),
        status: 413,
        code: 'UPDATE_TOO_LARGE',
      });
    }
  }
  return cases;
}

export function deepNestingCases(): Case[] {
  const arrays = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const objects = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  const payloads: [string, string, string][] = [
    ['20 levels of arrays in a field', `{"body":"x","title":${arrays(20)}}`, 'BAD_REQUEST'],
    ['20 levels of objects in a field', `{"body":"x","name":${objects(20)}}`, 'BAD_REQUEST'],
    ['100,000 levels of arrays', arrays(100_000), 'BAD_REQUEST'],
    ['40,000 levels of objects', objects(40_000), 'BAD_REQUEST'],
    ['100,000 unclosed arrays', '['.repeat(100_000), 'INVALID_JSON'],
    [
      '__proto__ at depth 50,000',
      `${'['.repeat(50_000)}{"__proto__":{"polluted":1}}${']'.repeat(50_000)}`,
      'BAD_REQUEST',
    ],
  ];
  return BODY_ROUTES.flatMap((route) =>
    payloads.map(([what, body, code]): Case => ({
      name: `${route.label} · deep nesting · ${what}`,
      req: (c) => routeReq(route, c, body),
      status: 400,
      code,
    })),
  );
}

export function prototypeCases(): Case[] {
  const cases: Case[] = [];
  for (const route of BODY_ROUTES) {
    const base = (c: Ctx) => (route.valid ? JSON.stringify(validBody(route, c)).slice(1, -1) : '"x":1');
    const payloads: [string, (c: Ctx) => string][] = [
      ['__proto__ at the top', (c) => `{"__proto__":{"polluted":"yes","role":"admin"},${base(c)}}`],
      ['__proto__ spelled with escapes', (c) => `{${base(c)},"\\u005f\\u005fproto\\u005f\\u005f":{"polluted":"yes"}}`],
      ['__proto__ nested', (c) => `{${base(c)},"x":{"y":{"__proto__":{"polluted":"yes"}}}}`],
      ['__proto__ inside an array', (c) => `{${base(c)},"x":[1,{"__proto__":{"polluted":"yes"}}]}`],
      ['constructor.prototype at the top', (c) => `{${base(c)},"constructor":{"prototype":{"polluted":"yes"}}}`],
      ['constructor.prototype nested', (c) => `{${base(c)},"x":{"constructor":{"prototype":{"polluted":"yes"}}}}`],
    ];
    for (const [what, body] of payloads) {
      cases.push({
        name: `${route.label} · ${what}`,
        req: (c) => routeReq(route, c, body(c)),
        status: 400,
        code: 'BAD_REQUEST',
      });
    }
  }
  return cases;
}

export function contentTypeCases(): Case[] {
  const types: [string, Record<string, string>][] = [
    ['text/plain', { 'content-type': 'text/plain' }],
    ['text/plain;charset=UTF-8', { 'content-type': 'text/plain;charset=UTF-8' }],
    ['application/x-www-form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['multipart/form-data', { 'content-type': 'multipart/form-data; boundary=x' }],
    ['application/xml', { 'content-type': 'application/xml' }],
    ['text/html', { 'content-type': 'text/html' }],
    ['application/jsonp', { 'content-type': 'application/jsonp' }],
  ];
  const cases: Case[] = [];
  for (const route of BODY_ROUTES) {
    // The body is what the route would accept as JSON: only the media type is wrong.
    const body = (c: Ctx) => (route.valid ? JSON.stringify(validBody(route, c)) : '{}');
    const auth = (c: Ctx): Record<string, string> => {
      const token = route.token(c);
      return token ? bearer(token) : {};
    };
    for (const [what, header] of types) {
      cases.push({
        name: `${route.label} · Content-Type ${what}`,
        req: (c) => ({ method: route.method, path: route.path(c), headers: { ...auth(c), ...header }, body: body(c) }),
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
    }
    cases.push({
      name: `${route.label} · a body without Content-Type`,
      req: (c) => ({
        method: route.method,
        path: route.path(c),
        headers: auth(c),
        body: new TextEncoder().encode(body(c)),
      }),
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
  }
  return cases;
}
