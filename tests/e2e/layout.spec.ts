import { expect, test } from '@playwright/test';
import { lessonPaths } from './helpers.ts';

test.describe('a 360 px wide phone', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('no page scrolls sideways', async ({ page }) => {
    const paths = ['/', '/glossary/', '/progress/', '/search/', '/api/', '/labs/', ...(await lessonPaths(page))];
    const overflowing: string[] = [];
    for (const path of paths) {
      await page.goto(path);
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      if (scrollWidth > clientWidth) overflowing.push(`${path}: ${scrollWidth}px > ${clientWidth}px`);
    }
    expect(overflowing).toEqual([]);
  });
});

test('the theme follows the system and the toggle overrides it, across reloads', async ({ page }) => {
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  const systemDark = await background();
  await page.emulateMedia({ colorScheme: 'light' });
  const systemLight = await background();
  expect(systemDark).not.toBe(systemLight);

  const toggle = page.getByRole('button', { name: /Theme:/ });
  await expect(toggle).toHaveText('Theme: system');
  await toggle.click();
  await expect(toggle).toHaveText('Theme: light');
  await toggle.click();
  await expect(toggle).toHaveText('Theme: dark');
  expect(await background()).toBe(systemDark);

  await page.reload();
  await expect(page.getByRole('button', { name: /Theme:/ })).toHaveText('Theme: dark');
  expect(await background()).toBe(systemDark);

  await page.getByRole('button', { name: /Theme:/ }).click();
  await expect(page.getByRole('button', { name: /Theme:/ })).toHaveText('Theme: system');
  expect(await background()).toBe(systemLight);
});

test('an unknown address shows the 404 page with a way back', async ({ page }) => {
  const response = await page.goto('/lessons/no-such-lesson/');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await page.getByRole('link', { name: 'Go to the course outline' }).click();
  await expect(page.getByRole('heading', { name: 'Course outline' })).toBeVisible();
});

test('a lesson has a table of contents, previous/next links and the glossary', async ({ page }) => {
  const paths = await lessonPaths(page);
  await page.goto(paths[1]!);
  const toc = page.getByRole('navigation', { name: 'On this page' });
  await expect(toc.getByRole('link').first()).toBeVisible();
  const target = await toc.getByRole('link').first().getAttribute('href');
  await expect(page.locator(target!)).toHaveCount(1);
  await expect(page.locator('a[rel="prev"]')).toHaveAttribute('href', paths[0]!);
  await expect(page.locator('a[rel="next"]')).toHaveAttribute('href', paths[2]!);
  await page.getByRole('link', { name: 'Glossary of terms' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Glossary');
});

test('glossary links from lessons land on their term', async ({ page }) => {
  const paths = await lessonPaths(page);
  await page.goto(paths[0]!);
  const term = page.locator('a.term').first();
  const target = (await term.getAttribute('href'))!;
  await term.click();
  const id = target.split('#')[1]!;
  await expect(page.locator(`h3[id="${id}"]`)).toBeVisible();
});
