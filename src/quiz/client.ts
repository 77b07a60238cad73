/**
 * The browser side of quizzes: draws generated questions from the learner's seed, checks answers,
 * keeps the quiz score and records the best one in the learner's progress.
 */
import { openProgress, type ProgressStore, type QuestionProgress, type SavedAnswer } from '../lib/progress.ts';
import { reportProgressProblems } from '../lib/progress-notice.ts';
import { answerKey, checkMatching, checkMulti, checkNumeric, checkOrdering, checkSingle } from './check.ts';
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
  /** The answer as the controls hold it now, to be saved with the progress. */
  value(): SavedAnswer | undefined;
  /** Puts a saved answer back into the controls; false if it does not fit this question. */
  restore(answer: SavedAnswer): boolean;
  /** The drawn instance of a numeric question (for its key). */
  numeric?: NumericInstance;
}

const isIndexList = (value: SavedAnswer): value is number[] => Array.isArray(value) && value.every((item) => typeof item === 'number');
const isTextList = (value: SavedAnswer): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const sameItems = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

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
        value: () => {
          const chosen = radios.findIndex((radio) => radio.checked);
          return chosen === -1 ? undefined : chosen;
        },
        restore: (answer) => {
          if (typeof answer !== 'number' || !radios[answer]) return false;
          radios[answer].checked = true;
          return true;
        },
      };
    }
    case 'multi': {
      const boxes = [...controls.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
      return {
        check: () => checkMulti(spec.options, boxes.flatMap((box, index) => (box.checked ? [index] : []))),
        reset: () => boxes.forEach((box) => (box.checked = false)),
        value: () => boxes.flatMap((box, index) => (box.checked ? [index] : [])),
        restore: (answer) => {
          if (!isIndexList(answer) || answer.some((index) => !boxes[index])) return false;
          boxes.forEach((box, index) => (box.checked = answer.includes(index)));
          return true;
        },
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
      return {
        check: () => checkNumeric(instance, input.value),
        reset: () => (input.value = ''),
        value: () => input.value,
        restore: (answer) => {
          if (typeof answer !== 'string') return false;
          input.value = answer;
          return true;
        },
        numeric: instance,
      };
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
        value: current,
        restore: (answer) => {
          if (!isTextList(answer) || !sameItems(answer, spec.items)) return false;
          arrange(answer);
          return true;
        },
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
        value: () => Object.fromEntries(rows.flatMap((row) => {
          const chosen = row.querySelector('select')!.value;
          return chosen ? [[row.dataset['left']!, chosen]] : [];
        })),
        restore: (answer) => {
          if (typeof answer !== 'object' || Array.isArray(answer)) return false;
          if (Object.values(answer).some((right) => !rights.includes(right))) return false;
          rows.forEach((row) => (row.querySelector('select')!.value = answer[row.dataset['left']!] ?? ''));
          return true;
        },
      };
    }
  }
}

function renderLines(target: HTMLElement, headline: { text: string; tone: 'right' | 'wrong' | 'revealed' }, lines: readonly string[]): void {
  target.replaceChildren();
  const head = document.createElement('p');
  head.className = `verdict ${headline.tone}`;
  head.textContent = headline.text;
  const list = document.createElement('ul');
  for (const line of lines) {
    const item = document.createElement('li');
    item.textContent = line;
    list.append(item);
  }
  target.append(head, list);
}

/** One question on the page: its controls, its buttons and what it shows for each state. */
class QuestionView {
  state: QuestionProgress = { verdict: 'unanswered', revealed: false };
  readonly #feedback: HTMLElement;
  readonly #explanation: HTMLElement;
  readonly #key: HTMLElement;
  readonly #retry: HTMLButtonElement;
  readonly #reveal: HTMLButtonElement;

  readonly element: HTMLElement;
  readonly spec: QuestionSpec;
  readonly mounted: MountedQuestion;

  constructor(element: HTMLElement, spec: QuestionSpec, mounted: MountedQuestion) {
    this.element = element;
    this.spec = spec;
    this.mounted = mounted;
    this.#feedback = element.querySelector<HTMLElement>('[data-feedback]')!;
    this.#explanation = element.querySelector<HTMLElement>('[data-explanation]')!;
    this.#key = element.querySelector<HTMLElement>('[data-answer-key]')!;
    this.#retry = element.querySelector<HTMLButtonElement>('[data-retry]')!;
    this.#reveal = element.querySelector<HTMLButtonElement>('[data-reveal]')!;
  }

  get solved(): boolean {
    return this.state.verdict === 'correct' && !this.state.revealed;
  }

  check(): void {
    const verdict = this.mounted.check();
    const answer = this.mounted.value();
    this.state = { ...(answer !== undefined ? { answer } : {}), verdict: verdict.correct ? 'correct' : 'wrong', revealed: this.state.revealed };
    this.#show(verdict);
  }

  reveal(): void {
    this.state = { ...this.state, revealed: true };
    this.#show(this.state.verdict === 'unanswered' ? undefined : this.mounted.check());
  }

  /** Back to blank controls for another try; a revealed question stays revealed. */
  retry(): void {
    this.mounted.reset();
    this.state = { verdict: 'unanswered', revealed: this.state.revealed };
    this.#show(undefined);
    this.element.querySelector<HTMLElement>('input, select, button.move')?.focus();
  }

  /** Shows a saved answer again, re-checked against today's key (a corrected question is judged anew). */
  restore(saved: QuestionProgress): void {
    const fits = saved.answer !== undefined && this.mounted.restore(saved.answer);
    this.state = { ...(fits ? { answer: saved.answer } : {}), verdict: 'unanswered', revealed: saved.revealed };
    if (fits && saved.verdict !== 'unanswered') {
      const verdict = this.mounted.check();
      this.state.verdict = verdict.correct ? 'correct' : 'wrong';
      this.#show(verdict);
    } else {
      this.#show(undefined);
    }
  }

  /** A new attempt: blank, nothing revealed. */
  clear(): void {
    this.mounted.reset();
    this.state = { verdict: 'unanswered', revealed: false };
    this.#show(undefined);
  }

  #show(verdict: Verdict | undefined): void {
    const { revealed } = this.state;
    const correct = verdict?.correct === true;
    if (verdict && correct) renderLines(this.#feedback, { text: revealed ? '✓ Correct (after showing the answer).' : '✓ Correct.', tone: 'right' }, verdict.feedback);
    else if (verdict) renderLines(this.#feedback, { text: '✗ Not yet.', tone: 'wrong' }, verdict.feedback);
    else this.#feedback.replaceChildren();
    this.#key.replaceChildren();
    if (revealed) {
      renderLines(this.#key, { text: 'Answer shown. This question counts as revealed, not solved.', tone: 'revealed' }, answerKey(this.spec, this.mounted.numeric));
    }
    this.#explanation.hidden = !(correct || revealed);
    this.#retry.hidden = !verdict || correct;
    this.#reveal.hidden = verdict === undefined || correct || revealed;
    if (revealed) this.element.dataset['state'] = 'revealed';
    else if (verdict) this.element.dataset['state'] = correct ? 'correct' : 'wrong';
    else delete this.element.dataset['state'];
  }
}

function mountQuiz(quiz: HTMLElement, store: ProgressStore): void {
  const quizId = quiz.dataset['quiz']!;
  const scoreLine = quiz.querySelector<HTMLElement>('[data-score]')!;
  const attemptLine = quiz.querySelector<HTMLElement>('[data-attempt]')!;
  const startOver = quiz.querySelector<HTMLButtonElement>('[data-start-over]')!;
  const elements = [...quiz.querySelectorAll<HTMLElement>('[data-question]')];
  const total = elements.length;
  const views: QuestionView[] = [];

  for (const element of elements) {
    const spec = JSON.parse(element.querySelector('script[data-spec]')!.textContent!) as QuestionSpec;
    try {
      views.push(new QuestionView(element, spec, mountQuestion(element, spec, store.seed, quizId)));
    } catch (error) {
      element.querySelector('[data-feedback]')!.textContent = `This question could not be loaded: ${(error as Error).message}`;
    }
  }

  const score = () => views.filter((view) => view.solved).length;
  const answers = () => Object.fromEntries(views.map((view) => [view.spec.id, view.state]));
  const showScore = (recorded = store.quiz(quizId)) => {
    const revealed = views.filter((view) => view.state.revealed).length;
    scoreLine.textContent =
      `Score: ${score()} / ${total}` +
      (revealed > 0 ? ` (${revealed} revealed, not counted)` : '') +
      (recorded ? ` · Best so far: ${Math.max(recorded.best, score())} / ${total}` : '');
    startOver.hidden = !views.some((view) => view.state.verdict !== 'unanswered' || view.state.revealed);
  };
  const save = (countsAsCheck: boolean) => showScore(store.recordQuizScore(quizId, score(), total, answers(), { countsAsCheck }));

  for (const view of views) {
    view.element.querySelector('[data-check]')!.addEventListener('click', () => {
      view.check();
      attemptLine.textContent = '';
      save(true);
    });
    view.element.querySelector('[data-retry]')!.addEventListener('click', () => {
      view.retry();
      save(false);
    });
    view.element.querySelector('[data-reveal]')!.addEventListener('click', () => {
      view.reveal();
      save(false);
    });
  }
  startOver.addEventListener('click', () => {
    views.forEach((view) => view.clear());
    attemptLine.textContent = 'New attempt: every answer is blank. Your best score is kept.';
    save(false);
    views[0]?.element.querySelector<HTMLElement>('input, select, button.move')?.focus();
  });

  const recorded = store.quiz(quizId);
  if (!recorded) return;
  const saved = recorded.questions ?? {};
  let restored = 0;
  for (const view of views) {
    const state = saved[view.spec.id];
    if (!state) continue;
    view.restore(state);
    if (view.state.verdict !== 'unanswered' || view.state.revealed) restored++;
  }
  attemptLine.textContent =
    restored > 0
      ? 'Your last answers are shown as you left them. “Start a new attempt” clears them.'
      : 'This is a new attempt: your earlier answers were not kept, only your best score.';
  showScore(recorded);
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
