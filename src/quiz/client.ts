/**
 * The browser side of quizzes: draws generated questions from the learner's seed, checks answers,
 * keeps the quiz score and records the best one in the learner's progress.
 */
import { openProgress, type ProgressStore } from '../lib/progress.ts';
import { reportProgressProblems } from '../lib/progress-notice.ts';
import { checkMatching, checkMulti, checkNumeric, checkOrdering, checkSingle } from './check.ts';
import { generators } from './generators/index.ts';
import { displayOrder, quizRandom } from './random.ts';
import type { NumericInstance, QuestionSpec, Verdict } from './types.ts';

/** The drawing of a generated numeric question for this learner. */
export function numericInstance(spec: QuestionSpec & { kind: 'numeric' }, seed: number, quizId: string): NumericInstance {
  if (spec.generator) {
    const generate = generators.get(spec.generator);
    if (!generate) throw new Error(`Unknown quiz generator "${spec.generator}"`);
    return generate(quizRandom(seed, `${quizId}/${spec.id}`));
  }
  return {
    prompt: '',
    answer: spec.answer ?? 0,
    tolerance: spec.tolerance ?? 0,
    ...(spec.relative !== undefined ? { relative: spec.relative } : {}),
    ...(spec.unit !== undefined ? { unit: spec.unit } : {}),
    explanation: spec.explanation ?? '',
  };
}

interface MountedQuestion {
  check(): Verdict;
  reset(): void;
}

function mountQuestion(element: HTMLElement, spec: QuestionSpec, seed: number, quizId: string): MountedQuestion {
  const controls = element.querySelector<HTMLElement>('[data-controls]')!;
  switch (spec.kind) {
    case 'single': {
      const radios = [...controls.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
      return {
        check: () => {
          const chosen = radios.findIndex((radio) => radio.checked);
          return checkSingle(spec.options, chosen === -1 ? null : chosen);
        },
        reset: () => radios.forEach((radio) => (radio.checked = false)),
      };
    }
    case 'multi': {
      const boxes = [...controls.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
      return {
        check: () => checkMulti(spec.options, boxes.flatMap((box, index) => (box.checked ? [index] : []))),
        reset: () => boxes.forEach((box) => (box.checked = false)),
      };
    }
    case 'numeric': {
      const instance = numericInstance(spec, seed, quizId);
      const input = controls.querySelector<HTMLInputElement>('[data-numeric-input]')!;
      if (spec.generator) {
        const prompt = element.querySelector<HTMLElement>('[data-generated-prompt]');
        if (prompt) prompt.textContent = instance.prompt;
        const unit = controls.querySelector('[data-unit]');
        if (unit) unit.textContent = instance.unit ?? '';
        const label = controls.querySelector('label');
        if (label) label.textContent = `Your answer${instance.unit ? ` (in ${instance.unit})` : ''}`;
        const explanation = element.querySelector('[data-explanation-text]');
        if (explanation) explanation.textContent = instance.explanation;
      }
      return { check: () => checkNumeric(instance, input.value), reset: () => (input.value = '') };
    }
    case 'ordering': {
      const list = controls.querySelector<HTMLOListElement>('[data-ordering]')!;
      const byText = new Map([...list.children].map((li) => [(li as HTMLElement).dataset['item']!, li]));
      const arrange = (order: readonly string[]) => order.forEach((item) => list.append(byText.get(item)!));
      arrange(displayOrder(spec.items, seed, spec.id));
      list.addEventListener('click', (event) => {
        const button = (event.target as Element).closest<HTMLButtonElement>('button[data-move]');
        if (!button) return;
        const item = button.closest('li')!;
        const sibling = button.dataset['move'] === 'up' ? item.previousElementSibling : item.nextElementSibling;
        if (!sibling) return;
        if (button.dataset['move'] === 'up') sibling.before(item);
        else sibling.after(item);
        button.focus(); // keep the learner's place while they move an item step by step
        const position = [...list.children].indexOf(item) + 1;
        const status = controls.querySelector('[data-order-status]');
        if (status) status.textContent = `“${item.dataset['item']}” moved to position ${position} of ${list.children.length}.`;
      });
      const current = () => [...list.children].map((li) => (li as HTMLElement).dataset['item']!);
      return {
        check: () => checkOrdering(spec.items, current()),
        reset: () => arrange(displayOrder(spec.items, seed, spec.id)),
      };
    }
    case 'matching': {
      const rows = [...controls.querySelectorAll<HTMLElement>('[data-left]')];
      const rights = displayOrder(spec.pairs.map((pair) => pair.right), seed, spec.id);
      for (const row of rows) {
        const select = row.querySelector('select')!;
        for (const right of rights) select.append(select.querySelector(`option[value="${CSS.escape(right)}"]`)!);
      }
      return {
        check: () =>
          checkMatching(spec.pairs, new Map(rows.map((row) => [row.dataset['left']!, row.querySelector('select')!.value || null]))),
        reset: () => rows.forEach((row) => (row.querySelector('select')!.value = '')),
      };
    }
  }
}

function renderVerdict(target: HTMLElement, verdict: Verdict): void {
  target.replaceChildren();
  const headline = document.createElement('p');
  headline.className = `verdict ${verdict.correct ? 'right' : 'wrong'}`;
  headline.textContent = verdict.correct ? '✓ Correct.' : '✗ Not yet.';
  const list = document.createElement('ul');
  for (const line of verdict.feedback) {
    const item = document.createElement('li');
    item.textContent = line;
    list.append(item);
  }
  target.append(headline, list);
}

function mountQuiz(quiz: HTMLElement, store: ProgressStore): void {
  const quizId = quiz.dataset['quiz']!;
  const scoreLine = quiz.querySelector<HTMLElement>('[data-score]')!;
  const questions = [...quiz.querySelectorAll<HTMLElement>('[data-question]')];
  const correct = new Set<string>();
  const total = questions.length;

  const showScore = (recorded?: { best: number }) => {
    const best = recorded?.best ?? store.quiz(quizId)?.best;
    scoreLine.textContent =
      `Score: ${correct.size} / ${total}` + (best !== undefined ? ` · Best so far: ${Math.max(best, correct.size)} / ${total}` : '');
  };

  for (const element of questions) {
    const spec = JSON.parse(element.querySelector('script[data-spec]')!.textContent!) as QuestionSpec;
    let mounted: MountedQuestion;
    try {
      mounted = mountQuestion(element, spec, store.seed, quizId);
    } catch (error) {
      element.querySelector('[data-feedback]')!.textContent = `This question could not be loaded: ${(error as Error).message}`;
      continue;
    }
    const feedback = element.querySelector<HTMLElement>('[data-feedback]')!;
    const explanation = element.querySelector<HTMLElement>('[data-explanation]')!;
    const retry = element.querySelector<HTMLButtonElement>('[data-retry]')!;
    element.querySelector('[data-check]')!.addEventListener('click', () => {
      const verdict = mounted.check();
      renderVerdict(feedback, verdict);
      explanation.hidden = false;
      retry.hidden = verdict.correct;
      element.dataset['state'] = verdict.correct ? 'correct' : 'wrong';
      if (verdict.correct) correct.add(spec.id);
      else correct.delete(spec.id);
      showScore(store.recordQuizScore(quizId, correct.size, total));
    });
    retry.addEventListener('click', () => {
      mounted.reset();
      feedback.replaceChildren();
      explanation.hidden = true;
      retry.hidden = true;
      delete element.dataset['state'];
      element.querySelector<HTMLElement>('input, select, button.move')?.focus();
    });
  }
  if (store.quiz(quizId)) showScore();
}

/** Wires every quiz in `root` once (safe to call again). */
export function mountQuizzes(root: ParentNode): void {
  const store = openProgress();
  for (const quiz of root.querySelectorAll<HTMLElement>('[data-quiz]:not([data-mounted])')) {
    quiz.dataset['mounted'] = '';
    mountQuiz(quiz, store);
  }
  reportProgressProblems(store);
}
