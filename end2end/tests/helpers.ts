import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** Waits until the WASM client has hydrated the server-rendered page. */
export async function hydrated(page: Page) {
  await expect(page.locator('.page[data-hydrated="true"]')).toBeVisible();
}

/** Asserts the page does not scroll sideways at its current width. */
export async function noHorizontalScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, 'page wider than the viewport').toBeLessThanOrEqual(innerWidth);
}

/**
 * Issue 11, accessibility (WCAG 2.1 AA, RGAA 4.1): runs axe-core on the page as it is now and
 * fails on any violation of the WCAG 2.0/2.1 level A and AA rules, listing each rule with its
 * impact, help text and the elements at fault. `label` names the page state in the failure.
 */
export async function expectAccessible(page: Page, label: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const problems = results.violations.map((violation) => {
    const nodes = violation.nodes
      .map((node) => `    - ${node.target.join(' ')}\n      ${node.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`)
      .join('\n');
    return `  ${violation.id} (${violation.impact}): ${violation.help}\n  ${violation.helpUrl}\n${nodes}`;
  });
  expect(problems, `accessibility violations on ${label} (${page.url()}):\n${problems.join('\n')}`).toEqual([]);
}
