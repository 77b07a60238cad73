/**
 * The learner's prediction: the radio buttons of an explorable, kept in their progress (no
 * points). A saved prediction is checked again on the next visit.
 */
import type { PredictionContext, ProgressStore } from '../lib/progress.ts';

export interface PredictionControls {
  /** The chosen option's id, or undefined. */
  readonly choice: () => string | undefined;
  /** Call after a run: records "predicted, then ran" when there is a prediction. */
  readonly ran: () => void;
}

/** The text of an element without its step label ("1. Predict."), spaces collapsed. */
function wordsOf(element: Element | null | undefined, without?: string): string | undefined {
  if (!element) return undefined;
  const clone = element.cloneNode(true) as Element;
  if (without) clone.querySelectorAll(without).forEach((part) => part.remove());
  return clone.textContent?.replace(/\s+/g, ' ').trim() || undefined;
}

/** The words the progress page shows beside a prediction: lesson, explorable, question, answer. */
function contextOf(fieldset: HTMLFieldSetElement, radio: HTMLInputElement): PredictionContext {
  const root = fieldset.closest<HTMLElement>('[data-explorable]');
  return {
    lesson: fieldset.closest<HTMLElement>('[data-lesson]')?.dataset['lesson'],
    title: wordsOf(root?.querySelector('h3'))?.replace(/^Try it: /, ''),
    question: wordsOf(fieldset.querySelector('legend'), '.step-label'),
    answer: wordsOf(radio.closest('label'), 'input'),
  };
}

export function wirePrediction(id: string, fieldset: HTMLFieldSetElement, note: HTMLElement, store: ProgressStore): PredictionControls {
  const radios = [...fieldset.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
  const describe = () => {
    const saved = store.prediction(id);
    note.textContent = !saved
      ? 'Choose an answer, then run it to see.'
      : saved.ranAt
        ? 'Your prediction is saved with your progress, and you have run it since.'
        : 'Your prediction is saved with your progress. Now run it.';
  };
  const saved = store.prediction(id);
  for (const radio of radios) {
    if (radio.value === saved?.choice) radio.checked = true;
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      store.recordPrediction(id, radio.value, contextOf(fieldset, radio));
      describe();
    });
  }
  describe();
  return {
    choice: () => radios.find((radio) => radio.checked)?.value,
    ran: () => {
      if (store.recordPredictionRun(id) !== undefined) describe();
    },
  };
}
