/**
 * Quizzes that teach: a wrong answer points at the mistake without giving the key away, "Show
 * answer" reveals it and counts the question as revealed (not solved) in the progress, and a
 * reload shows the learner's last answers and verdicts.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { QuestionSpec } from '../../src/quiz/types.ts';
import { answer, lessonPaths, specOf } from './helpers.ts';

/**
 * The first question of `kind` in a lesson's closing quiz (or, with `anyQuiz`, in any of its quizzes;
 * fixed numeric questions only), with its lesson opened.
 */
async function findQuestion(page: Page, kind: QuestionSpec['kind'], anyQuiz = false): Promise<{ question: Locator; spec: QuestionSpec; path: string }> {
  for (const path of await lessonPaths(page)) {
    await page.goto(path);
    for (const question of await page.locator(anyQuiz ? '[data-question]' : '[data-quiz-kind="quiz"] [data-question]').all()) {
      const spec = await specOf(question);
      if (spec.kind === kind && !(spec.kind === 'numeric' && spec.generator)) return { question, spec, path };
    }
  }
  throw new Error(`no lesson has a ${kind} question`);
}

test('a wrong multiple-select answer says how many are wrong, names none, and hides the explanation', async ({ page }) => {
  const { question, spec } = await findQuestion(page, 'multi');
  if (spec.kind !== 'multi') throw new Error('unreachable');
  await answer(question, false);
  const feedback = question.locator('[data-feedback]');
  await expect(feedback).toContainText(/option(s)? you chose (is|are) wrong|You missed/);
  const shown = (await feedback.textContent())!;
  for (const option of spec.options) {
    expect(shown, `feedback names the option "${option.text}"`).not.toContain(option.text);
    expect(shown).not.toContain(option.explain);
  }
  await expect(question.locator('[data-explanation]')).toBeHidden();
  await expect(question.getByRole('button', { name: 'Try again' })).toBeVisible();
  await expect(question.getByRole('button', { name: 'Show answer' })).toBeVisible();
});

test('a wrong number is not answered for the learner; ten times too large points at the units', async ({ page }) => {
  const { question, spec } = await findQuestion(page, 'numeric', true);
  if (spec.kind !== 'numeric' || spec.answer === undefined) throw new Error('unreachable');
  const key = spec.answer === 0 ? 5 : spec.answer * 10;
  await question.getByRole('textbox').fill(String(key));
  await question.getByRole('button', { name: 'Check answer' }).click();
  const feedback = question.locator('[data-feedback]');
  await expect(feedback.locator('.verdict')).toHaveText('✗ Not yet.');
  if (spec.answer !== 0) await expect(feedback).toContainText('about 10× too large: check the units');
  const words = (await feedback.textContent())!;
  expect(words).not.toMatch(new RegExp(`(^|[^\\d.])${String(spec.answer).replace('.', '\\.')}([^\\d.]|$)`));
  await expect(question.locator('[data-explanation]')).toBeHidden();
});

test('"Show answer" reveals the key and the explanation, and counts as revealed, not solved, here and on the progress page', async ({ page }) => {
  const { question, spec, path } = await findQuestion(page, 'single');
  if (spec.kind !== 'single') throw new Error('unreachable');
  await answer(question, false);
  await question.getByRole('button', { name: 'Show answer' }).click();
  const key = question.locator('[data-answer-key]');
  await expect(key).toContainText('counts as revealed, not solved');
  await expect(key).toContainText(spec.options.find((option) => option.correct)!.text);
  await expect(question.locator('[data-explanation]')).toBeVisible();
  await expect(question).toHaveAttribute('data-state', 'revealed');
  const quiz = page.locator('[data-quiz-kind="quiz"]').last();
  await expect(quiz.locator('[data-score]')).toContainText('(1 revealed, not counted)');

  // Answering it right afterwards does not turn a revealed question into a solved one.
  await question.getByRole('button', { name: 'Try again' }).click();
  await question.getByRole('radio').nth(spec.options.findIndex((option) => option.correct)).check();
  await question.getByRole('button', { name: 'Check answer' }).click();
  await expect(question.locator('[data-feedback] .verdict')).toHaveText('✓ Correct (after showing the answer).');
  await expect(quiz.locator('[data-score]')).toContainText('Score: 0 /');

  const lessonId = path.split('/').filter(Boolean).pop()!;
  await page.goto('/progress/');
  await expect(page.locator(`[data-progress-lesson="${lessonId}"] [data-quiz]`)).toContainText('1 revealed');
});

test('after a reload the quiz shows the last answers and verdicts; a new attempt clears them', async ({ page }) => {
  const { question: single, path } = await findQuestion(page, 'single');
  const quiz = page.locator('[data-quiz-kind="quiz"]').last();
  const total = await quiz.locator('[data-question]').count();
  await answer(single, true);
  const multi = quiz.locator('[data-kind="multi"]').first();
  const ordering = quiz.locator('[data-kind="ordering"]').first();
  const hasMulti = (await multi.count()) > 0;
  const hasOrdering = (await ordering.count()) > 0;
  if (hasMulti) await answer(multi, false);
  if (hasOrdering) await answer(ordering, true);
  const checkedBefore = await single.getByRole('radio').evaluateAll((radios) => radios.map((radio) => (radio as HTMLInputElement).checked));
  const orderBefore = hasOrdering ? await ordering.locator('[data-item]').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset['item'])) : [];
  const solved = 1 + (hasOrdering ? 1 : 0);
  await expect(quiz.locator('[data-score]')).toContainText(`Score: ${solved} / ${total}`);

  await page.goto(path);
  await expect(quiz.locator('[data-score]')).toHaveText(`Score: ${solved} / ${total} · Best so far: ${solved} / ${total}`);
  await expect(quiz.locator('[data-attempt]')).toContainText('Your last answers are shown as you left them');
  expect(await single.getByRole('radio').evaluateAll((radios) => radios.map((radio) => (radio as HTMLInputElement).checked))).toEqual(checkedBefore);
  await expect(single.locator('[data-feedback] .verdict')).toHaveText('✓ Correct.');
  await expect(single.locator('[data-explanation]')).toBeVisible();
  if (hasMulti) {
    await expect(multi).toHaveAttribute('data-state', 'wrong');
    await expect(multi.locator('[data-feedback] .verdict')).toHaveText('✗ Not yet.');
    await expect(multi.locator('input:checked')).not.toHaveCount(0);
  }
  if (hasOrdering) {
    expect(await ordering.locator('[data-item]').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset['item']))).toEqual(orderBefore);
    await expect(ordering).toHaveAttribute('data-state', 'correct');
  }

  await quiz.getByRole('button', { name: 'Start a new attempt' }).click();
  await expect(quiz.locator('[data-attempt]')).toHaveText('New attempt: every answer is blank. Your best score is kept.');
  await expect(quiz.locator('[data-score]')).toHaveText(`Score: 0 / ${total} · Best so far: ${solved} / ${total}`);
  await expect(single.locator('input:checked')).toHaveCount(0);
  await page.reload();
  await expect(quiz.locator('[data-score]')).toHaveText(`Score: 0 / ${total} · Best so far: ${solved} / ${total}`);
  await expect(quiz.locator('[data-question][data-state]')).toHaveCount(0);
});

test('a quiz saved before answers were kept says plainly that this is a new attempt', async ({ page }) => {
  const { path } = await findQuestion(page, 'single');
  const quizId = await page.locator('[data-quiz-kind="quiz"]').last().getAttribute('data-quiz');
  await page.evaluate((id) => {
    localStorage.setItem(`virtlab.progress.v1.quiz.${id}`, JSON.stringify({ best: 3, total: 9, attempts: 4, updatedAt: '2025-01-01T00:00:00.000Z' }));
  }, quizId);
  await page.goto(path);
  const quiz = page.locator('[data-quiz-kind="quiz"]').last();
  await expect(quiz.locator('[data-attempt]')).toHaveText('This is a new attempt: your earlier answers were not kept, only your best score.');
  await expect(quiz.locator('[data-score]')).toContainText('Best so far: 3 /');
});
