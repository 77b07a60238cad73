/** The home page's course outline (lessons and labs), the progress page's statuses, and the 404 page. */
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { listLabIds } from '../../grader/node/lab-loader.ts';
import { answer } from './helpers.ts';

// Every lab in the repository: the root build publishes them all.
const labs = await listLabIds(resolve(import.meta.dirname, '../../labs'));

test('the home page shows the labs among the lessons, with what each practises, its time and the learner status', async ({ page }) => {
  expect(labs).toEqual(expect.arrayContaining(['consolidate', 'jail', 'trap-and-emulate']));
  await page.goto('/');
  await expect(page.locator('.intro .meta')).toContainText(`${labs.length} labs`);
  for (const id of labs) {
    const item = page.locator(`[data-outline-lab="${id}"]`);
    await expect(item.getByRole('link')).toHaveAttribute('href', `/labs/${id}/`);
    await expect(item).toContainText(/Lab · about \d+ min/);
    await expect(item).toContainText('Practises');
    await expect(item.locator('[data-status]')).toHaveText('Not started');
  }
  // A lab follows the lesson it practises (the first lesson its manifest names).
  const order = await page.locator('.outline > li').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset['outlineLesson'] ?? `lab:${(item as HTMLElement).dataset['outlineLab']}`));
  expect(order[order.indexOf('lab:consolidate') - 1]).toBe('02-why-virtualize');
  expect(order[order.indexOf('lab:jail') - 1]).toBe('04-os-level-isolation');

  await page.evaluate(() => {
    const at = '2026-01-01T00:00:00.000Z';
    localStorage.setItem('virtlab.progress.v1.lab.jail', JSON.stringify({ status: 'passing', publicScore: 10, bestPublicScore: 10, publicTotal: 10, updatedAt: at }));
    localStorage.setItem('virtlab.progress.v1.lab.consolidate', JSON.stringify({ status: 'in-progress', publicScore: 3, publicTotal: 10, updatedAt: at }));
  });
  await page.reload();
  await expect(page.locator('[data-outline-lab="jail"] [data-status]')).toHaveText('Public tests passing');
  await expect(page.locator('[data-outline-lab="consolidate"] [data-status]')).toHaveText('In progress');
  await expect(page.locator('[data-progress-summary]')).toContainText(`1 of ${labs.length} labs passing their public tests`);
});

test('the progress page says what each status means; a fully answered quiz makes the lesson Done; dates do not wrap', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/');
  await page.locator('.outline a.title').first().click();
  const lessonId = new URL(page.url()).pathname.split('/').filter(Boolean).pop()!;
  const quiz = page.locator('[data-quiz-kind="quiz"]').last();
  await answer(quiz.locator('[data-kind="single"]').first(), true);

  await page.goto('/progress/');
  const row = page.locator(`[data-progress-lesson="${lessonId}"]`);
  await expect(row.locator('[data-read]')).toHaveText(/^Opened \d{4}-\d{2}-\d{2}$/);
  await expect(row.locator('[data-quiz]')).toHaveText(/^best 1 \/ \d+ · now 1 right · 1 answer checked$/);
  const legend = page.locator('[data-legend]');
  await expect(legend).toContainText('This is when a lesson counts as done');
  await expect(legend).toContainText('how many times you pressed “Check answer”');
  const date = row.locator('[data-read] time');
  const box = (await date.boundingBox())!;
  const lineHeight = await date.evaluate((node) => parseFloat(getComputedStyle(node).lineHeight));
  expect(box.height, 'the date sits on one line').toBeLessThan(lineHeight * 1.5);

  // A closing quiz fully answered (best = total) makes the lesson Done, here and on the home page.
  const quizId = await row.getAttribute('data-quiz-id');
  await page.evaluate((id) => {
    const saved = JSON.parse(localStorage.getItem(`virtlab.progress.v1.quiz.${id}`)!);
    localStorage.setItem(`virtlab.progress.v1.quiz.${id}`, JSON.stringify({ ...saved, best: saved.total }));
  }, quizId);
  await page.reload();
  await expect(row.locator('[data-read]')).toHaveText('Done');
  await page.goto('/');
  await expect(page.locator(`[data-outline-lesson="${lessonId}"] [data-status]`)).toContainText('Done ✓');
});

test('the 404 page keeps its footer at the bottom of the window', async ({ page }) => {
  for (const size of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
    await page.setViewportSize(size);
    await page.goto('/no-such-page/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
    const footer = (await page.locator('footer.site-footer').boundingBox())!;
    const documentHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(Math.round(footer.y + footer.height), `footer bottom at ${size.width}×${size.height}`).toBeGreaterThanOrEqual(Math.min(size.height, documentHeight) - 1);
  }
});
