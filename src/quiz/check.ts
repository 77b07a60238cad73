/**
 * Checking answers. Pure functions, so the same rules run in the browser and in unit tests.
 */
import type {
  ChoiceOption,
  MatchingPair,
  NumericInstance,
  Verdict,
} from './types.ts';

/** A single-choice answer: the index of the chosen option. */
export function checkSingle(options: readonly ChoiceOption[], chosen: number | null): Verdict {
  if (chosen === null || !options[chosen]) {
    return { correct: false, feedback: ['Choose one of the options first.'] };
  }
  const option = options[chosen];
  return { correct: option.correct === true, feedback: [option.explain] };
}

/** A multiple-select answer: the indices of all chosen options. Right only if exactly the correct set. */
export function checkMulti(options: readonly ChoiceOption[], chosen: readonly number[]): Verdict {
  if (chosen.length === 0) return { correct: false, feedback: ['Select at least one option.'] };
  const chosenSet = new Set(chosen);
  const feedback: string[] = [];
  let correct = true;
  options.forEach((option, index) => {
    const shouldPick = option.correct === true;
    const picked = chosenSet.has(index);
    if (shouldPick !== picked) correct = false;
    // Explain every option the learner picked, and every correct one they missed.
    if (picked || shouldPick) feedback.push(`${picked ? (shouldPick ? '✓' : '✗') : 'Missed:'} ${option.text} — ${option.explain}`);
  });
  return { correct, feedback };
}

/** The result of reading a typed numeric answer. */
export type ParsedNumber = { ok: true; value: number } | { ok: false; message: string };

/**
 * Reads "1200", "1,200", "7.5 %", "-3", "2e3" and an optional trailing unit.
 * A unit other than the expected one is refused with a message rather than guessed at.
 */
export function parseNumericAnswer(text: string, unit?: string): ParsedNumber {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Type a number.' };
  // "7,5" is a decimal comma, not a thousands separator (those come in threes): say so, don't guess.
  if (/^[-+]?\d+,\d{1,2}(?:\s.*)?$/.test(trimmed)) {
    return { ok: false, message: `Use a point for decimals: ${trimmed.split(/\s/)[0]!.replace(',', '.')} rather than ${trimmed.split(/\s/)[0]}.` };
  }
  const match = /^([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[-+]?\d+)?|[-+]?\.\d+)\s*(.*)$/i.exec(trimmed);
  if (!match) return { ok: false, message: `"${trimmed}" is not a number. Type digits, e.g. 42 or 3.5.` };
  const value = Number(match[1]!.replace(/,/g, ''));
  const suffix = match[2]!.trim();
  if (suffix !== '' && (!unit || suffix.toLowerCase() !== unit.toLowerCase())) {
    return {
      ok: false,
      message: unit
        ? `Give the answer in ${unit} (you wrote "${suffix}").`
        : `Type just the number (you wrote "${suffix}" after it).`,
    };
  }
  return { ok: true, value };
}

/** Whether `value` is within the question's tolerance of its answer. */
export function withinTolerance(question: Pick<NumericInstance, 'answer' | 'tolerance' | 'relative'>, value: number): boolean {
  const allowed = question.relative ? Math.abs(question.answer) * question.tolerance : question.tolerance;
  // A tiny epsilon so that 0.1 + 0.2 style rounding never fails an exact answer.
  return Math.abs(value - question.answer) <= allowed + 1e-9 * Math.max(1, Math.abs(question.answer));
}

export function checkNumeric(question: NumericInstance, typed: string): Verdict {
  const parsed = parseNumericAnswer(typed, question.unit);
  if (!parsed.ok) return { correct: false, feedback: [parsed.message] };
  const correct = withinTolerance(question, parsed.value);
  const unit = question.unit ? ` ${question.unit}` : '';
  const feedback = correct
    ? [`Right: ${formatNumber(question.answer)}${unit}.`]
    : [`Not quite: ${formatNumber(parsed.value)}${unit} is outside the accepted range. Try again, or read the explanation.`];
  return { correct, feedback };
}

/** An ordering answer: the items as the learner arranged them. */
export function checkOrdering(correctOrder: readonly string[], arranged: readonly string[]): Verdict {
  const misplaced = arranged.filter((item, index) => correctOrder[index] !== item).length;
  if (arranged.length !== correctOrder.length) {
    return { correct: false, feedback: ['Arrange every item.'] };
  }
  return misplaced === 0
    ? { correct: true, feedback: ['Right order.'] }
    : { correct: false, feedback: [`${misplaced} of ${correctOrder.length} items are in the wrong place.`] };
}

/** A matching answer: for each left item, the right item the learner chose (or null). */
export function checkMatching(pairs: readonly MatchingPair[], chosen: ReadonlyMap<string, string | null>): Verdict {
  const unanswered = pairs.filter((pair) => !chosen.get(pair.left)).length;
  if (unanswered > 0) return { correct: false, feedback: [`Match every item (${unanswered} left).`] };
  const wrong = pairs.filter((pair) => chosen.get(pair.left) !== pair.right);
  return wrong.length === 0
    ? { correct: true, feedback: ['All matched correctly.'] }
    : { correct: false, feedback: wrong.map((pair) => `“${pair.left}” is not matched correctly.`) };
}

/** Numbers as people write them: no float noise, at most 4 significant decimals. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toString() : Number(value.toFixed(4)).toString();
}
