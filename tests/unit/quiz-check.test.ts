import { describe, expect, test } from 'vitest';
import {
  answerKey,
  checkMatching,
  checkMulti,
  checkNumeric,
  checkOrdering,
  checkSingle,
  numericHint,
  parseNumericAnswer,
  withinTolerance,
} from '../../src/quiz/check.ts';

const options = [
  { text: 'Consolidation', correct: true, explain: 'Many services on one machine.' },
  { text: 'More hardware', explain: 'Virtualization needs less hardware, not more.' },
  { text: 'Isolation', correct: true, explain: 'Services are kept apart.' },
];

describe('single choice', () => {
  test('the correct option is right and explains itself', () => {
    expect(checkSingle(options, 0)).toEqual({ correct: true, feedback: ['Many services on one machine.'] });
  });
  test('a wrong option is wrong with its own explanation', () => {
    expect(checkSingle(options, 1)).toEqual({ correct: false, feedback: ['Virtualization needs less hardware, not more.'] });
  });
  test('no choice asks for one', () => {
    expect(checkSingle(options, null).correct).toBe(false);
    expect(checkSingle(options, null).feedback[0]).toMatch(/Choose/);
  });
});

describe('multiple select', () => {
  test('exactly the correct set is right', () => {
    expect(checkMulti(options, [0, 2]).correct).toBe(true);
  });
  test('a missing correct option is counted, never named', () => {
    const verdict = checkMulti(options, [0]);
    expect(verdict.correct).toBe(false);
    expect(verdict.feedback).toContain('You missed one right option.');
    expect(verdict.feedback.join(' ')).not.toMatch(/Isolation|Services are kept apart/);
  });
  test('an extra wrong option is counted, never named', () => {
    const verdict = checkMulti(options, [0, 1, 2]);
    expect(verdict.correct).toBe(false);
    expect(verdict.feedback).toContain('One option you chose is wrong.');
    expect(verdict.feedback.join(' ')).not.toMatch(/More hardware|less hardware/);
  });
  test('wrong and missing together are both counted', () => {
    const verdict = checkMulti(options, [1]);
    expect(verdict.feedback.slice(0, 2)).toEqual(['One option you chose is wrong.', 'You missed 2 right options.']);
  });
  test('a right answer explains the options', () => {
    expect(checkMulti(options, [2, 0]).feedback).toEqual(['Consolidation — Many services on one machine.', 'Isolation — Services are kept apart.']);
  });
  test('nothing selected is refused', () => {
    expect(checkMulti(options, []).feedback[0]).toMatch(/at least one/);
  });
});

describe('numeric answers', () => {
  const question = { prompt: '', answer: 7.5, tolerance: 0.5, unit: '%', explanation: '' };
  test.each([
    ['7.5', 7.5],
    [' 8 ', 8],
    ['1,200', 1200],
    ['2e3', 2000],
    ['-3', -3],
    ['.5', 0.5],
    ['7.5 %', 7.5],
  ])('reads %j as %d', (typed, value) => {
    expect(parseNumericAnswer(typed, '%')).toEqual({ ok: true, value });
  });
  test('refuses text that is not a number, saying so', () => {
    const parsed = parseNumericAnswer('about seven', '%');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(/not a number/);
  });
  test('explains a decimal comma instead of misreading it', () => {
    const parsed = parseNumericAnswer('7,5', '%');
    expect(!parsed.ok && parsed.message).toBe('Use a point for decimals: 7.5 rather than 7,5.');
    expect(parseNumericAnswer('1,250', '%')).toEqual({ ok: true, value: 1250 });
  });
  test('refuses a different unit instead of guessing', () => {
    const parsed = parseNumericAnswer('7 W', '%');
    expect(!parsed.ok && parsed.message).toMatch(/Give the answer in %/);
  });
  test('accepts answers inside the absolute tolerance and refuses those outside', () => {
    expect(checkNumeric(question, '7.9').correct).toBe(true);
    expect(checkNumeric(question, '7').correct).toBe(true);
    expect(checkNumeric(question, '8.1').correct).toBe(false);
  });
  test('a wrong number never shows the answer, and a power of ten points at the units', () => {
    const percent = { prompt: '', answer: 7.5, tolerance: 0.5, unit: '%', explanation: 'The worked solution: 7.5 %.' };
    const tenfold = checkNumeric(percent, '75');
    expect(tenfold.correct).toBe(false);
    expect(tenfold.feedback.join(' ')).not.toMatch(/7\.5/);
    expect(tenfold.feedback.join(' ')).toMatch(/about 10× too large: check the units/);
    expect(checkNumeric(percent, '0.075').feedback.join(' ')).toMatch(/about 100× too small/);
    expect(checkNumeric(percent, '-7.5').feedback.join(' ')).toMatch(/wrong sign/);
    const other = checkNumeric(percent, '12').feedback.join(' ');
    expect(other).not.toMatch(/7\.5|too (large|small)/);
    expect(other).toMatch(/step by step/);
  });
  test('numericHint leaves near misses and zero answers without a factor', () => {
    expect(numericHint(0, 5)).toMatch(/step by step/);
    expect(numericHint(100, 140)).toMatch(/step by step/);
    expect(numericHint(100, 1000)).toMatch(/10× too large/);
  });
  test('relative tolerance is a fraction of the answer', () => {
    const relative = { answer: 1000, tolerance: 0.02, relative: true };
    expect(withinTolerance(relative, 1019)).toBe(true);
    expect(withinTolerance(relative, 1021)).toBe(false);
  });
  test('an exact answer survives floating-point noise', () => {
    expect(withinTolerance({ answer: 0.3, tolerance: 0 }, 0.1 + 0.2)).toBe(true);
  });
});

describe('ordering', () => {
  const order = ['CP-67', 'VM/370', 'FreeBSD jail', 'Xen'];
  test('the correct order is right', () => {
    expect(checkOrdering(order, [...order]).correct).toBe(true);
  });
  test('a swap is wrong and counts misplaced items', () => {
    const verdict = checkOrdering(order, ['VM/370', 'CP-67', 'FreeBSD jail', 'Xen']);
    expect(verdict.correct).toBe(false);
    expect(verdict.feedback[0]).toBe('2 of 4 items are in the wrong place.');
  });
});

describe('matching', () => {
  const pairs = [
    { left: 'jail', right: 'FreeBSD' },
    { left: 'zone', right: 'Solaris' },
    { left: 'VE', right: 'OpenVZ' },
  ];
  test('all pairs matched is right', () => {
    expect(checkMatching(pairs, new Map([['jail', 'FreeBSD'], ['zone', 'Solaris'], ['VE', 'OpenVZ']])).correct).toBe(true);
  });
  test('a wrong pair is named', () => {
    const verdict = checkMatching(pairs, new Map([['jail', 'Solaris'], ['zone', 'FreeBSD'], ['VE', 'OpenVZ']]));
    expect(verdict.correct).toBe(false);
    expect(verdict.feedback).toEqual(['“jail” is not matched correctly.', '“zone” is not matched correctly.']);
  });
  test('unanswered rows are counted', () => {
    expect(checkMatching(pairs, new Map([['jail', 'FreeBSD']])).feedback[0]).toBe('Match every item (2 left).');
  });
});

describe('the key shown by "Show answer"', () => {
  test('lists the right options with their explanations', () => {
    expect(answerKey({ kind: 'multi', id: 'm', options, explanation: 'x' })).toEqual([
      'Consolidation — Many services on one machine.',
      'Isolation — Services are kept apart.',
    ]);
  });
  test('gives a drawn numeric answer with its unit, the order numbered and the pairs', () => {
    expect(answerKey({ kind: 'numeric', id: 'n', generator: 'g' }, { prompt: '', answer: 12.5, tolerance: 0, unit: 'ms', explanation: '' })).toEqual(['12.5 ms']);
    expect(answerKey({ kind: 'numeric', id: 'n', answer: 3, explanation: 'x' })).toEqual(['3']);
    expect(answerKey({ kind: 'ordering', id: 'o', items: ['a', 'b', 'c'], explanation: 'x' })).toEqual(['1. a', '2. b', '3. c']);
    expect(answerKey({ kind: 'matching', id: 'p', pairs: [{ left: 'jail', right: 'FreeBSD' }], explanation: 'x' })).toEqual(['jail → FreeBSD']);
  });
});
