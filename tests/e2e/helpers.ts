/** Helpers for driving the site like a learner: answer quiz questions from their published spec. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { QuestionSpec } from '../../src/quiz/types.ts';

export async function specOf(question: Locator): Promise<QuestionSpec> {
  return JSON.parse((await question.locator('script[data-spec]').textContent()) ?? '{}') as QuestionSpec;
}

/**
 * Answers a question the way a learner would (radios, checkboxes, typing, move buttons, selects).
 * Returns false for a generated numeric question, whose answer only the learner's seed knows.
 */
export async function answer(question: Locator, correctly: boolean): Promise<boolean> {
  const spec = await specOf(question);
  switch (spec.kind) {
    case 'single': {
      const index = spec.options.findIndex((option) => (option.correct === true) === correctly);
      await question.getByRole('radio').nth(index).check();
      break;
    }
    case 'multi': {
      for (const [index, option] of spec.options.entries()) {
        const shouldCheck = correctly ? option.correct === true : option.correct !== true;
        if (shouldCheck) await question.getByRole('checkbox').nth(index).check();
      }
      break;
    }
    case 'numeric': {
      if (spec.generator) return false;
      const value = correctly ? spec.answer! : spec.answer! + (spec.tolerance ?? 0) + 1000;
      await question.getByRole('textbox').fill(String(value));
      break;
    }
    case 'ordering': {
      const target = correctly ? spec.items : [...spec.items].reverse();
      for (const [position, item] of target.entries()) {
        const items = question.locator('[data-item]');
        const texts = await items.evaluateAll((nodes) => nodes.map((node) => (node as HTMLElement).dataset['item']));
        for (let at = texts.indexOf(item); at > position; at--) {
          await question.getByRole('button', { name: `Move “${item}” up` }).click();
        }
      }
      break;
    }
    case 'matching': {
      const rights = spec.pairs.map((pair) => pair.right);
      for (const [index, pair] of spec.pairs.entries()) {
        const choice = correctly ? pair.right : rights[(index + 1) % rights.length]!;
        await question.getByLabel(pair.left, { exact: true }).selectOption(choice);
      }
      break;
    }
  }
  await question.getByRole('button', { name: 'Check answer' }).click();
  await expect(question.locator('[data-feedback] .verdict')).toHaveText(correctly ? '✓ Correct.' : '✗ Not yet.');
  return true;
}

/** The lessons' URLs in course order, read from the home page outline. */
export async function lessonPaths(page: Page): Promise<string[]> {
  await page.goto('./');
  return page.locator('.outline a.title').evaluateAll((links) => links.map((link) => link.getAttribute('href')!));
}
