/**
 * Checking answers. Pure functions, so the same rules run in the browser and in unit tests.
 */
import type {
  ChoiceOption,
  MatchingPair,
  NumericInstance,
  QuestionSpec,
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

/**
 * A multiple-select answer: the indices of all chosen options. Right only if exactly the correct set.
 * A wrong answer says how many chosen options are wrong and how many are missing, never which:
 * naming them would hand over the key, and "Try again" would become copying.
 */
export function checkMulti(options: readonly ChoiceOption[], chosen: readonly number[]): Verdict {
  if (chosen.length === 0) return { correct: false, feedback: ['Select at least one option.'] };
  const chosenSet = new Set(chosen);
  const wronglyChosen = options.filter((option, index) => chosenSet.has(index) && option.correct !== true).length;
  const missed = options.filter((option, index) => !chosenSet.has(index) && option.correct === true).length;
  if (wronglyChosen === 0 && missed === 0) {
    return { correct: true, feedback: options.flatMap((option) => (option.correct ? [`${option.text} — ${option.explain}`] : [])) };
  }
  const feedback: string[] = [];
  if (wronglyChosen > 0) feedback.push(wronglyChosen === 1 ? 'One option you chose is wrong.' : `${wronglyChosen} options you chose are wrong.`);
  if (missed > 0) feedback.push(missed === 1 ? 'You missed one right option.' : `You missed ${missed} right options.`);
  feedback.push('Reread each option against the lesson, then try again.');
  return { correct: false, feedback };
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

/**
 * A numeric answer. A wrong one gets a hint about the kind of mistake (a power of ten usually
 * means units, the wrong sign a reversed difference) but never the number itself.
 */
export function checkNumeric(question: NumericInstance, typed: string): Verdict {
  const parsed = parseNumericAnswer(typed, question.unit);
  if (!parsed.ok) return { correct: false, feedback: [parsed.message] };
  const unit = question.unit ? ` ${question.unit}` : '';
  if (withinTolerance(question, parsed.value)) return { correct: true, feedback: [`Right: ${formatNumber(question.answer)}${unit}.`] };
  return { correct: false, feedback: [`${formatNumber(parsed.value)}${unit} is outside the accepted range.`, numericHint(question.answer, parsed.value)] };
}

/** What a wrong number suggests about the mistake, without giving the answer away. */
export function numericHint(answer: number, value: number): string {
  if (answer !== 0 && value !== 0 && Math.sign(answer) !== Math.sign(value)) {
    return 'Your number has the wrong sign: check which quantity is subtracted from which.';
  }
  if (answer !== 0 && value !== 0) {
    const decades = Math.log10(Math.abs(value / answer));
    const power = Math.round(decades);
    if (power !== 0 && Math.abs(decades - power) < 0.1) {
      const factor = `${10 ** Math.abs(power)}×`;
      return `Your number is about ${factor} too ${power > 0 ? 'large' : 'small'}: check the units (and whether a percentage was written as a fraction).`;
    }
  }
  return 'Work through it again step by step, checking each figure you used and the units.';
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

/**
 * The key, in words, for "Show answer" (and after a correct answer it is the same as the learner's).
 * Numeric questions are given their drawn instance, since a generated answer depends on the seed.
 */
export function answerKey(spec: QuestionSpec, numeric?: NumericInstance): string[] {
  switch (spec.kind) {
    case 'single':
    case 'multi':
      return spec.options.flatMap((option) => (option.correct ? [`${option.text} — ${option.explain}`] : []));
    case 'numeric': {
      const instance = numeric ?? { answer: spec.answer ?? 0, unit: spec.unit };
      return [`${formatNumber(instance.answer)}${instance.unit ? ` ${instance.unit}` : ''}`];
    }
    case 'ordering':
      return spec.items.map((item, index) => `${index + 1}. ${item}`);
    case 'matching':
      return spec.pairs.map((pair) => `${pair.left} → ${pair.right}`);
  }
}

/** Numbers as people write them: no float noise, at most 4 significant decimals. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toString() : Number(value.toFixed(4)).toString();
}
