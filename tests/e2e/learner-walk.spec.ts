import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { answer, specOf } from './helpers.ts';

test('a new learner reads a lesson, answers its quiz, and keeps their progress through reload, export and import', async ({ page }, testInfo) => {
  await page.goto('/');
  const firstLesson = page.locator('.outline a.title').first();
  const title = (await firstLesson.textContent())!.trim();
  await expect(page.locator('[data-outline-lesson] [data-status]').first()).toHaveText('Not started');
  await firstLesson.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);

  const quiz = page.locator('[data-quiz-kind="quiz"]').last();
  const questions = quiz.locator('[data-question]');
  const total = await questions.count();
  expect(total).toBeGreaterThanOrEqual(5);

  // Wrong first, then right after "Try again".
  const single = quiz.locator('[data-kind="single"]').first();
  await answer(single, false);
  await expect(quiz.locator('[data-score]')).toContainText(`Score: 0 / ${total}`);
  await single.getByRole('button', { name: 'Try again' }).click();
  await answer(single, true);
  await expect(single.locator('[data-explanation]')).toBeVisible();

  // Then every other question a learner can answer from the page.
  let correct = 1;
  for (let index = 0; index < total; index++) {
    const question = questions.nth(index);
    if ((await question.getAttribute('data-state')) === 'correct') continue;
    if (await answer(question, true)) correct++;
  }
  await expect(quiz.locator('[data-score]')).toContainText(`Score: ${correct} / ${total}`);

  // A generated question keeps its numbers for this learner across a reload.
  const generated = quiz.locator('[data-generated-prompt]').first();
  const hasGenerated = (await generated.count()) > 0;
  const generatedPrompt = hasGenerated ? await generated.textContent() : null;
  if (hasGenerated) expect(generatedPrompt!.length).toBeGreaterThan(10);

  await page.reload();
  // The answers come back as the learner left them, so the current score is still theirs.
  await expect(page.locator('[data-quiz-kind="quiz"]').last().locator('[data-score]')).toHaveText(`Score: ${correct} / ${total} · Best so far: ${correct} / ${total}`);
  await expect(single.locator('[data-feedback] .verdict')).toHaveText('✓ Correct.');
  if (hasGenerated) await expect(page.locator('[data-generated-prompt]').first()).toHaveText(generatedPrompt!);

  // The course home and the progress page show it.
  await page.goto('/');
  await expect(page.locator('[data-outline-lesson] [data-status]').first()).toContainText(`Quiz best: ${correct} / ${total}`);
  await expect(page.locator('[data-outline-lab]').first()).toBeVisible();
  await page.goto('/progress/');
  const row = page.getByRole('row').filter({ hasText: title });
  await expect(row).toContainText(`${correct} / ${total}`);

  // Export, clear, import.
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export progress (JSON)' }).click();
  const exportPath = testInfo.outputPath('progress.json');
  await (await downloadPromise).saveAs(exportPath);
  expect(JSON.parse(readFileSync(exportPath, 'utf8')).format).toBe('virtlab-progress');

  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Clear all progress' }).click();
  await expect(row.locator('[data-quiz]')).toHaveText('—');

  await page.locator('input[data-import]').setInputFiles(exportPath);
  await expect(page.locator('[data-message]')).toContainText('Imported');
  await expect(row).toContainText(`${correct} / ${total}`);
});

test('a corrupt or foreign progress file is refused and nothing saved is lost', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.locator('.outline a.title').first().click();
  const quiz = page.locator('[data-quiz-kind="quiz"]').last();
  await answer(quiz.locator('[data-kind="single"]').first(), true);

  await page.goto('/progress/');
  const foreign = testInfo.outputPath('foreign.json');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(foreign, JSON.stringify({ name: 'not-progress', version: '1.0.0' }));
  await page.locator('input[data-import]').setInputFiles(foreign);
  await expect(page.locator('[data-message]')).toContainText('Import refused');
  await expect(page.locator('[data-message]')).toContainText('Nothing was changed');
  await expect(page.locator('[data-quiz]').first()).toContainText('1 /');
});

test('damaged saved progress is reported and reset without breaking the page', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.setItem('virtlab.progress.v1.quiz.01-broken-quiz', '{oops'));
  await page.goto('/progress/');
  await expect(page.getByRole('alert')).toContainText('was damaged and has been reset');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your progress');
  expect(await page.evaluate(() => localStorage.getItem('virtlab.progress.v1.quiz.01-broken-quiz'))).toBeNull();
});

test('each question kind gives feedback when answered wrongly, and the explanation only when the learner asks to see the answer', async ({ page }) => {
  await page.goto('/');
  const links = await page.locator('.outline a.title').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('href')!));
  const seen = new Set<string>();
  for (const link of links) {
    await page.goto(link);
    for (const question of await page.locator('[data-question]').all()) {
      const spec = await specOf(question);
      if (seen.has(spec.kind) || (spec.kind === 'numeric' && spec.generator)) continue;
      await answer(question, false);
      await expect(question.locator('[data-feedback] li').first()).not.toBeEmpty();
      await expect(question.locator('[data-explanation]')).toBeHidden();
      await question.getByRole('button', { name: 'Show answer' }).click();
      await expect(question.locator('[data-explanation]')).toBeVisible();
      await expect(question.locator('[data-answer-key] li').first()).not.toBeEmpty();
      seen.add(spec.kind);
    }
    if (seen.size === 5) break;
  }
  expect([...seen].sort()).toEqual(['matching', 'multi', 'numeric', 'ordering', 'single']);
});
