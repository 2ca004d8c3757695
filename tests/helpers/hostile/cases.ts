/**
 * The table of hostile HTTP requests, family by family. Each case is numbered by its place in the
 * whole table, so a failing case can be found by its number.
 */
import { authCases, conflictCases, forbiddenCases, idempotencyKeyCases } from './access-cases.ts';
import { badJsonCases, contentTypeCases, deepNestingCases, prototypeCases, tooLargeCases } from './body-cases.ts';
import { unicodeCases, unknownFieldCases, wrongTypeCases } from './field-cases.ts';
import { pathAndQueryCases } from './path-cases.ts';
import { pushCases } from './push-cases.ts';
import type { Case } from './requests.ts';

export const CASES: Case[] = [
  ...badJsonCases(),
  ...tooLargeCases(),
  ...deepNestingCases(),
  ...prototypeCases(),
  ...unicodeCases(),
  ...wrongTypeCases(),
  ...unknownFieldCases(),
  ...contentTypeCases(),
  ...authCases(),
  ...forbiddenCases(),
  ...pathAndQueryCases(),
  ...idempotencyKeyCases(),
  ...pushCases(),
  ...conflictCases(),
].map((testCase, index) => ({ ...testCase, name: `#${index + 1} ${testCase.name}` }));
