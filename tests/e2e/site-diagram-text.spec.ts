/**
 * Diagram text stays legible on a phone: at 360 px wide, no SVG text on a lesson, the home page
 * or the labs index renders below 12 CSS px (the lab workbench's pictures are measured with the
 * workbench). Rendered size = the computed font size times the SVG's scale on screen.
 */
import { expect, test } from '@playwright/test';
import { lessonPaths } from './helpers.ts';

const MIN_PX = 12;

test('no diagram text below 12 px at 360 px wide, in both themes', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 360, height: 740 });
  const paths = ['/', '/labs/', ...(await lessonPaths(page))];
  const small: string[] = [];
  let measured = 0;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const path of paths) {
      await page.goto(path);
      const sizes = await page.locator('svg text, svg tspan').evaluateAll((nodes) =>
        nodes.flatMap((node) => {
          const element = node as SVGTextContentElement;
          if (!element.textContent?.trim() || element.getClientRects().length === 0) return []; // empty or not shown
          if (element.closest('[data-workbench]')) return [];
          const matrix = element.getScreenCTM();
          const scale = matrix ? Math.hypot(matrix.a, matrix.b) : 1; // also right for rotated text
          const px = parseFloat(getComputedStyle(element).fontSize) * scale;
          return [{ px, text: element.textContent.trim().slice(0, 40) }];
        }),
      );
      measured += sizes.length;
      for (const { px, text } of sizes) if (px < MIN_PX - 0.01) small.push(`${path} (${scheme}): "${text}" at ${px.toFixed(1)} px`);
    }
  }
  expect(measured, 'the lessons have diagram text to measure').toBeGreaterThan(100);
  expect(small).toEqual([]);
});

test('a narrow drawing fits a 360 px phone without scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const paths = await lessonPaths(page);
  let narrow = 0;
  for (const path of paths) {
    await page.goto(path);
    const frames = await page.locator('[data-figure-frame]:has(svg.diagram-narrow)').evaluateAll((nodes) =>
      nodes.map((frame) => ({ id: frame.closest('figure')?.id, overflow: frame.scrollWidth - frame.clientWidth })),
    );
    narrow += frames.length;
    for (const frame of frames) expect(frame.overflow, `${path}#${frame.id} scrolls sideways`).toBeLessThanOrEqual(0);
  }
  expect(narrow, 'lessons with narrow drawings').toBeGreaterThanOrEqual(4);
});

test('a diagram wider than the phone scrolls sideways in its frame, which the keyboard can reach', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const paths = await lessonPaths(page);
  await page.goto(paths.find((path) => path.includes('05-hypervisors')) ?? paths[4]!);
  const frame = page.locator('[data-figure-frame]').first();
  await expect(frame).toHaveAttribute('tabindex', '0');
  const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(pageOverflow, 'the page itself does not scroll sideways').toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(frame).not.toHaveAttribute('tabindex', '0');
});

test('every component with scoped styles on a lesson page has its styles there (diagrams and explorables included)', async ({ page }) => {
  test.setTimeout(120_000);
  const unstyled: string[] = [];
  let components = 0;
  for (const path of await lessonPaths(page)) {
    await page.goto(path);
    const { scopes, styled } = await page.evaluate(() => {
      const scopes = [...new Set([...document.querySelectorAll('*')].flatMap((node) => node.getAttributeNames().filter((name) => name.startsWith('data-astro-cid-'))))];
      const selectors: string[] = [];
      const collect = (rules: CSSRuleList): void => {
        for (const rule of rules) {
          if (rule instanceof CSSStyleRule) selectors.push(rule.selectorText);
          if ('cssRules' in rule) collect((rule as CSSGroupingRule).cssRules);
        }
      };
      for (const sheet of document.styleSheets) collect(sheet.cssRules);
      const all = selectors.join('\n');
      return { scopes, styled: scopes.filter((scope) => all.includes(scope)) };
    });
    components += scopes.length;
    for (const scope of scopes) if (!styled.includes(scope)) unstyled.push(`${path}: ${scope}`);
  }
  expect(components, 'lesson pages have scoped components to check').toBeGreaterThan(20);
  expect(unstyled, 'Astro marks an element with data-astro-cid-… only for a component that has styles: these have none on the page').toEqual([]);
});
