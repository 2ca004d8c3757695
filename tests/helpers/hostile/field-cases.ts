/**
 * Cases about the fields of a body that parses: unicode and length tricks, wrong types, missing
 * and unknown fields.
 */
import { short, type Case } from './requests.ts';
import {
  mutated,
  PATCH_STORY,
  PATCH_UPDATE,
  POST_EDITOR,
  POST_STORY,
  POST_UPDATE,
  PREVIEW,
  routeReq,
  SUBSCRIBE,
  UNSUBSCRIBE,
  type BodyRoute,
} from './routes.ts';
import { PUBLIC_ENDPOINT, SEEDED_ENDPOINT } from './setup.ts';

/**
 * [field (dotted path), value, "<expected code>|<what it is>"]. Control characters and lone surrogates
 * are refused while parsing (BAD_REQUEST), pattern and length breakers by the schema (VALIDATION_FAILED).
 */
type Mutation = [string, unknown, string];

const CONTROL_TEXT: [string, string][] = [
  ['lone high surrogate', 'Storm \ud800 coast'],
  ['lone low surrogate', '\udc00 storm'],
  ['NUL', 'a\u0000b'],
  ['BEL', 'ring \u0007'],
  ['ESC sequence', '\u001b[31mred'],
  ['DEL', 'del\u007f'],
];

const PATTERN_BREAKERS: [string, string][] = [
  ['RTL override', 'update\u202etxt'],
  ['zero-width space', 'up\u200bdate'],
  ['zero-width joiner', 'up\u200ddate'],
  ['emoji', 'breaking-🔥'],
  ['Cyrillic look-alike', 'n\u0435ws'],
  ['slash', 'a/b'],
  ['dot-dot', '..'],
  ['colon (job id separator)', 'a:b'],
  ['space', 'a b'],
  ['empty', ''],
];

export function unicodeCases(): Case[] {
  const perRoute: [BodyRoute, Mutation[]][] = [
    [
      POST_STORY,
      [
        ...CONTROL_TEXT.map(([what, text]): Mutation => ['title', text, `BAD_REQUEST|${what}`]),
        ...CONTROL_TEXT.slice(0, 3).map(([what, text]): Mutation => ['summary', text, `BAD_REQUEST|${what}`]),
        ...PATTERN_BREAKERS.map(([what, text]): Mutation => ['slug', text.toLowerCase(), `VALIDATION_FAILED|${what}`]),
        ['slug', 'a'.repeat(81), 'VALIDATION_FAILED|81 characters'],
        ['title', 'T'.repeat(201), 'VALIDATION_FAILED|201 characters'],
        ['title', ' \n\t ', 'VALIDATION_FAILED|blank'],
        ['summary', 's'.repeat(2001), 'VALIDATION_FAILED|2001 characters'],
      ],
    ],
    [
      PATCH_STORY,
      [
        ...CONTROL_TEXT.map(([what, text]): Mutation => ['title', text, `BAD_REQUEST|${what}`]),
        ['summary', '\u0001', 'BAD_REQUEST|SOH'],
        ['title', 'T'.repeat(201), 'VALIDATION_FAILED|201 characters'],
      ],
    ],
    [
      POST_UPDATE,
      [
        ...PATTERN_BREAKERS.map(([what, text]): Mutation => ['id', text, `VALIDATION_FAILED|${what}`]),
        ['id', 'i'.repeat(65), 'VALIDATION_FAILED|65 characters'],
        ['id', `ok\u0000`, 'BAD_REQUEST|NUL'],
        ...CONTROL_TEXT.map(([what, text]): Mutation => ['body', text, `BAD_REQUEST|${what}`]),
        ...CONTROL_TEXT.slice(0, 2).map(([what, text]): Mutation => ['title', text, `BAD_REQUEST|${what}`]),
        ['title', 'T'.repeat(201), 'VALIDATION_FAILED|201 characters'],
      ],
    ],
    [
      PATCH_UPDATE,
      [
        ...CONTROL_TEXT.map(([what, text]): Mutation => ['body', text, `BAD_REQUEST|${what}`]),
        ['title', '\ud800', 'BAD_REQUEST|lone surrogate'],
        ['title', 'T'.repeat(201), 'VALIDATION_FAILED|201 characters'],
      ],
    ],
    [PREVIEW, CONTROL_TEXT.map(([what, text]): Mutation => ['body', text, `BAD_REQUEST|${what}`])],
    [
      POST_EDITOR,
      [
        // ".." is a valid editor name (the pattern allows dots), so it is no hostile case here.
        ...PATTERN_BREAKERS.filter(([, text]) => text !== '..').map(([what, text]): Mutation => [
          'name',
          text,
          `VALIDATION_FAILED|${what}`,
        ]),
        ['name', 'n'.repeat(65), 'VALIDATION_FAILED|65 characters'],
        ['name', 'eve\u0000', 'BAD_REQUEST|NUL'],
        ['role', 'admin\u200b', 'VALIDATION_FAILED|zero-width space'],
      ],
    ],
    [
      SUBSCRIBE,
      [
        ['subscription.endpoint', `${PUBLIC_ENDPOINT}\u0000`, 'BAD_REQUEST|NUL'],
        ['subscription.endpoint', `${PUBLIC_ENDPOINT}\ud800`, 'BAD_REQUEST|lone surrogate'],
        ['subscription.endpoint', `https://8.8.8.8/${'p'.repeat(2048)}`, 'VALIDATION_FAILED|over 2048 characters'],
        ['topics', ['breaking\u200b'], 'VALIDATION_FAILED|zero-width space'],
        ['topics', ['story:abc\u202e'], 'VALIDATION_FAILED|RTL override'],
      ],
    ],
    [
      UNSUBSCRIBE,
      [
        ['endpoint', `${SEEDED_ENDPOINT}\u0000`, 'BAD_REQUEST|NUL'],
        ['endpoint', '\udfff', 'BAD_REQUEST|lone surrogate'],
        ['endpoint', 'x'.repeat(2049), 'VALIDATION_FAILED|over 2048 characters'],
      ],
    ],
  ];
  return perRoute.flatMap(([route, mutations]) =>
    mutations.map(([path, value, expected]): Case => {
      const [code, what] = expected.split('|') as [string, string];
      return {
        name: `${route.label} · unicode/length · ${path} ${what} (${short(value, 24)})`,
        req: (c) => routeReq(route, c, JSON.stringify(mutated(route, c, path, value))),
        status: 400,
        code,
      };
    }),
  );
}

export function wrongTypeCases(): Case[] {
  const perRoute: [BodyRoute, [string, unknown[]][]][] = [
    [
      POST_STORY,
      [
        ['title', [1, true, null, [], {}, '']],
        ['slug', [1, null, [], 'Has-Caps', 'a--b', '-a', 'a_b']],
        ['summary', [1, null, false, ['x']]],
      ],
    ],
    [
      PATCH_STORY,
      [
        ['title', [1, null, '', '   ']],
        ['summary', [1, null, []]],
        ['status', ['deleted', 'LIVE', 1, null, true, ['ended']]],
      ],
    ],
    [
      POST_UPDATE,
      [
        ['id', [1, null, [], {}]],
        ['title', [1, true, [], {}]],
        ['body', [1, null, [], {}, '', '  \n\t ']],
        ['pinned', ['true', 1, null, []]],
        ['keyEvent', ['yes', 0]],
        ['notify', [1, 'false']],
        ['breaking', ['1', null]],
      ],
    ],
    [
      PATCH_UPDATE,
      [
        ['title', [1, false, []]],
        ['body', [1, null, '', '  ']],
        ['pinned', ['false', 0, null]],
        ['keyEvent', ['true', {}]],
      ],
    ],
    [PREVIEW, [['body', [1, null, [], {}, true]]]],
    [
      POST_EDITOR,
      [
        ['name', [1, null, [], {}, true]],
        ['role', ['root', 'ADMIN', 1, null, ['admin']]],
      ],
    ],
    [
      SUBSCRIBE,
      [
        ['subscription', [null, 'x', [], 1]],
        ['subscription.endpoint', [1, null, {}, [], 'short']],
        ['subscription.keys', [null, 'x', []]],
        ['subscription.keys.p256dh', [1, null, []]],
        ['subscription.keys.auth', [1, null, {}]],
        ['subscription.expirationTime', ['tomorrow', {}, true]],
        ['topics', ['breaking', null, {}, [1], [null]]],
      ],
    ],
    [UNSUBSCRIBE, [['endpoint', [1, null, [], {}, true, 'short']]]],
  ];
  const cases: Case[] = [];
  for (const [route, fields] of perRoute) {
    for (const [path, values] of fields) {
      for (const value of values) {
        cases.push({
          name: `${route.label} · wrong type · ${path} = ${short(value)}`,
          req: (c) => routeReq(route, c, JSON.stringify(mutated(route, c, path, value))),
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
    }
  }
  const missing: [BodyRoute, string][] = [
    [POST_STORY, 'title'],
    [POST_UPDATE, 'body'],
    [PREVIEW, 'body'],
    [POST_EDITOR, 'name'],
    [SUBSCRIBE, 'topics'],
    [SUBSCRIBE, 'subscription.keys.auth'],
    [UNSUBSCRIBE, 'endpoint'],
  ];
  for (const [route, path] of missing) {
    cases.push({
      name: `${route.label} · missing ${path}`,
      req: (c) => routeReq(route, c, JSON.stringify(mutated(route, c, path, undefined, true))),
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  }
  for (const route of [PATCH_STORY, PATCH_UPDATE]) {
    cases.push({
      name: `${route.label} · empty object (nothing to change)`,
      req: (c) => routeReq(route, c, '{}'),
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  }
  return cases;
}

export function unknownFieldCases(): Case[] {
  const perRoute: [BodyRoute, [string, unknown][]][] = [
    [
      POST_STORY,
      [
        ['id', 'chosen-id'],
        ['status', 'ended'],
        ['lastSeq', 99],
        ['epoch', 'forged'],
        ['author', 'someone-else'],
      ],
    ],
    [
      PATCH_STORY,
      [
        ['slug', 'new-slug'],
        ['id', 'other'],
        ['epoch', 'forged'],
        ['lastSeq', 0],
      ],
    ],
    [
      POST_UPDATE,
      [
        ['html', '<script>alert(1)</script>'],
        ['author', 'someone-else'],
        ['storyId', 'other'],
        ['version', 9],
        ['createdAt', '2000-01-01T00:00:00Z'],
        ['deleted', false],
      ],
    ],
    [
      PATCH_UPDATE,
      [
        ['html', '<img src=x onerror=alert(1)>'],
        ['author', 'someone-else'],
        ['id', 'other'],
        ['deleted', true],
      ],
    ],
    [
      PREVIEW,
      [
        ['html', '<script>alert(1)</script>'],
        ['title', 'x'],
      ],
    ],
    [
      POST_EDITOR,
      [
        ['token', 'sp_chosen'],
        ['id', 'x'],
        ['createdAt', '2000-01-01T00:00:00Z'],
        ['revokedAt', null],
      ],
    ],
    [
      SUBSCRIBE,
      [
        ['id', 'chosen'],
        ['subscription.extra', 1],
        ['subscription.keys.extra', 'x'],
        ['subscription.keys.p256dh2', 'x'],
      ],
    ],
    [
      UNSUBSCRIBE,
      [
        ['id', 'x'],
        ['topics', ['breaking']],
      ],
    ],
  ];
  return perRoute.flatMap(([route, fields]) =>
    fields.map(([path, value]): Case => ({
      name: `${route.label} · unknown field ${path}`,
      req: (c) => routeReq(route, c, JSON.stringify(mutated(route, c, path, value))),
      status: 400,
      code: 'VALIDATION_FAILED',
    })),
  );
}
