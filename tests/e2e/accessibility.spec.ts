import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { axeViolations } from './axe.ts';
import { lessonPaths } from './helpers.ts';

/** One test per page (not one loop over all of them), so a busy machine never runs one test past its limit. */
const SITE_PAGES = ['/', '/lecture/', '/glossary/', '/progress/', '/search/', '/api/', '/labs/', '/instructors/', '/no-such-page/'];
const LESSON_PAGES = readdirSync(resolve(import.meta.dirname, '../../content/lessons'))
  .filter((name) => name.endsWith('.mdx'))
  .sort()
  .map((name) => `/lessons/${name.slice(0, -'.mdx'.length)}/`);

test('the pages checked here are every lesson the home page lists', async ({ page }) => {
  expect([...(await lessonPaths(page))].sort()).toEqual(LESSON_PAGES);
});

async function expectNoViolations(page: import('@playwright/test').Page, label: string, colorScheme: 'light' | 'dark' = 'light') {
  expect(await axeViolations(page, label, colorScheme), `axe violations on ${label}`).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`axe, ${scheme} colour scheme`, () => {
    test.use({ colorScheme: scheme });

    for (const path of SITE_PAGES) {
      test(`${path} has no violations`, async ({ page }) => {
        await page.goto(path);
        await expectNoViolations(page, `${path} (${scheme})`, scheme);
      });
    }

    for (const path of LESSON_PAGES) {
      test(`${path} has no violations, with a quiz answered`, async ({ page }) => {
        await page.goto(path);
        // Answer one question so that feedback and explanation are checked too.
        const quiz = page.locator('[data-quiz-kind="quiz"]').last();
        const first = quiz.locator('[data-kind="single"]').first();
        await expect(first, 'every closing quiz has a single-choice question to answer').toHaveCount(1);
        await first.getByRole('radio').first().check();
        await first.getByRole('button', { name: 'Check answer' }).click();
        await expectNoViolations(page, `${path} (${scheme})`, scheme);
      });
    }
  });
}

test('the site is usable by keyboard alone: skip link, navigation, and answering a quiz question', async ({ page }) => {
  const paths = await lessonPaths(page);
  await page.goto('/');
  // The first Tab reaches the skip link; the next ones walk the site navigation in order.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'virtlab' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Course' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Labs' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Labs');

  await page.goto(paths[0]!);
  const question = page.locator('[data-quiz-kind="quiz"]').last().locator('[data-kind="single"]').first();
  // Reach the question's first option with Tab alone, from the element just before it.
  await question.locator('.kind').evaluate((node) => {
    const before = document.createElement('span');
    before.tabIndex = -1;
    node.before(before);
    before.focus();
  });
  await page.keyboard.press('Tab');
  await expect(question.getByRole('radio').first()).toBeFocused();
  await page.keyboard.press('Space');
  await expect(question.getByRole('radio').first()).toBeChecked();
  await page.keyboard.press('Tab'); // past the radio group to the Check button
  await expect(question.getByRole('button', { name: 'Check answer' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(question.locator('[data-feedback] .verdict')).toBeVisible();
});

test.describe('axe on a 360 px wide phone', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  for (const path of [...SITE_PAGES, ...LESSON_PAGES]) {
    test(`${path} has no violations at 360 px`, async ({ page }) => {
      await page.goto(path);
      await expectNoViolations(page, `${path} (360 px)`);
    });
  }
});
