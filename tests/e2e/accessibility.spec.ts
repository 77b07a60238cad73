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
      for (const path of ['/', '/glossary/', '/progress/', '/search/', '/api/', '/labs/', '/no-such-page/']) {
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

test('the site is usable by keyboard: skip link, navigation and a quiz answer', async ({ page }) => {
  const paths = await lessonPaths(page);
  await page.goto(paths[0]!);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);

  const question = page.locator('[data-quiz-kind="quiz"]').last().locator('[data-kind="single"]').first();
  await question.getByRole('radio').first().focus();
  await page.keyboard.press('Space');
  await expect(question.getByRole('radio').first()).toBeChecked();
  await question.getByRole('button', { name: 'Check answer' }).focus();
  await page.keyboard.press('Enter');
  await expect(question.locator('[data-feedback] .verdict')).toBeVisible();
});

test.describe('axe on a 360 px wide phone', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('every lesson and page has no violations at 360 px', async ({ page }) => {
    for (const path of ['/', '/glossary/', '/progress/', '/api/', ...(await lessonPaths(page))]) {
      await page.goto(path);
      await expectNoViolations(page, `${path} (360 px)`);
    }
  });
});
