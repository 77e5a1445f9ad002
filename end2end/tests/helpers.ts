import { expect, type Page } from '@playwright/test';

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
