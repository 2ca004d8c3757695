/**
 * axe-core in a page of the real browser. Injected through DevTools (page.evaluate of the file's
 * text): the page's CSP (no inline script) rightly refuses a script tag.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export type AxeImpact = 'minor' | 'moderate' | 'serious' | 'critical';
export type ColorScheme = 'light' | 'dark';

export const EVERY_IMPACT: readonly AxeImpact[] = ['minor', 'moderate', 'serious', 'critical'];

export interface AxeOptions {
  /** CSS selectors to check; the whole page when absent. */
  include?: string[];
  /** Which impacts count; every one unless a screen is known to fall short. */
  impacts?: readonly AxeImpact[];
  /** The schemes to check, in order; the page is left in the first. */
  colorSchemes?: readonly ColorScheme[];
}

type Violation = { id: string; impact: string; nodes: { target: string[] }[] };

/** Violations as "scheme: rule (impact): selector, selector", readable in a failed assertion. */
export async function axeViolations(page: Page, options: AxeOptions = {}): Promise<string[]> {
  const { include, impacts = EVERY_IMPACT, colorSchemes = ['light', 'dark'] } = options;
  // As a reader of the screen sees it, not the hover state of the button clicked last.
  await page.mouse.move(0, 0);
  await page.evaluate(AXE_SOURCE);
  const found: string[] = [];
  for (const colorScheme of colorSchemes) {
    await page.emulateMedia({ colorScheme });
    const violations = await page.evaluate(async (selectors) => {
      const axe = (window as unknown as { axe: { run: (context?: unknown) => Promise<{ violations: Violation[] }> } })
        .axe;
      const context = selectors ? { include: selectors.map((s) => [s]) } : document;
      return (await axe.run(context)).violations;
    }, include);
    for (const v of violations.filter((v) => (impacts as readonly string[]).includes(v.impact))) {
      found.push(`${colorScheme}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  await page.emulateMedia({ colorScheme: colorSchemes[0] });
  return found;
}

export async function expectNoAxeViolations(page: Page, options: AxeOptions = {}): Promise<void> {
  expect(await axeViolations(page, options)).toEqual([]);
}
