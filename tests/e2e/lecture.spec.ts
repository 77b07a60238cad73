/** The lecture page shows the project's own copy of the 2007 slides, and lessons link to it. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { parseLecture } from '../../src/lib/lecture.ts';

const lecture = parseLecture(readFileSync(resolve(import.meta.dirname, '../../content/lecture/lecture-24-virtualization.txt'), 'utf8'));

test('the lecture page shows every slide word for word, each linked to the lessons that teach it', async ({ page }) => {
  await page.goto('/lecture/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The lecture');
  await expect(page.locator('main')).toContainText('Steven Luo');
  const slides = page.locator('.slide');
  await expect(slides).toHaveCount(lecture.slides.length);
  for (const [index, slide] of lecture.slides.entries()) {
    const card = page.locator(`#slide-${index + 1}`);
    await expect(card.getByRole('heading')).toContainText(slide.title);
    await expect(card.locator('ul > li')).toHaveText(slide.bullets);
    await expect(card.locator('.taught a').first(), `slide ${index + 1} should link to a lesson`).toHaveAttribute('href', /\/lessons\//);
  }
});

test("a lesson's lecture quote links to its slide on the lecture page", async ({ page }) => {
  await page.goto('/lessons/04-os-level-isolation/');
  const badge = page.locator('figure.lecture').nth(1).getByRole('link', { name: 'Lecture, 2007' });
  await badge.click();
  await expect(page).toHaveURL(/\/lecture\/#slide-5$/);
  await expect(page.locator('#slide-5 h2')).toContainText("Isolation con't");
});
