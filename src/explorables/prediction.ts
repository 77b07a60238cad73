/**
 * The learner's prediction: the radio buttons of an explorable, kept in their progress (no
 * points). A saved prediction is checked again on the next visit.
 */
import type { ProgressStore } from '../lib/progress.ts';

export interface PredictionControls {
  /** The chosen option's id, or undefined. */
  readonly choice: () => string | undefined;
  /** Call after a run: records "predicted, then ran" when there is a prediction. */
  readonly ran: () => void;
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
      store.recordPrediction(id, radio.value);
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
