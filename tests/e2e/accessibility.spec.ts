import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { lessonPaths } from './helpers.ts';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function expectNoViolations(page: import('@playwright/test').Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = results.violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join('; ')})`);
  expect(summary, `axe violations on ${label}`).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`axe, ${scheme} colour scheme`, () => {
    test.use({ colorScheme: scheme });

    test('home, glossary, progress, search and 404 pages have no violations', async ({ page }) => {
      for (const path of ['/', '/lecture/', '/glossary/', '/progress/', '/search/', '/api/', '/labs/', '/no-such-page/']) {
        await page.goto(path);
        await expectNoViolations(page, `${path} (${scheme})`);
      }
    });

    test('every lesson has no violations, with a quiz answered', async ({ page }) => {
      for (const path of await lessonPaths(page)) {
        await page.goto(path);
        // Answer one question so that feedback and explanation are checked too.
        const quiz = page.locator('[data-quiz-kind="quiz"]').last();
        const first = quiz.locator('[data-kind="single"]').first();
        if (await first.count()) {
          await first.getByRole('radio').first().check();
          await first.getByRole('button', { name: 'Check answer' }).click();
        }
        await expectNoViolations(page, `${path} (${scheme})`);
      }
    });
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

  test('every lesson and page has no violations at 360 px', async ({ page }) => {
    for (const path of ['/', '/lecture/', '/glossary/', '/progress/', '/api/', ...(await lessonPaths(page))]) {
      await page.goto(path);
      await expectNoViolations(page, `${path} (360 px)`);
    }
  });
});
