import { describe, expect, test } from 'vitest';
import { QuestionError, validateQuestion } from '../../src/quiz/schema.ts';

const known = new Set(['fixture-sum']);
const source = 'content/lessons/09-example.mdx';
const valid = (props: Record<string, unknown>) => validateQuestion(props, source, known);
const explain = (text: string, correct?: boolean) => ({ text, explain: `because ${text}`, ...(correct ? { correct } : {}) });

describe('quiz question schema', () => {
  test('accepts one well-formed question of each kind', () => {
    expect(valid({ kind: 'single', id: 'a', explanation: 'x', options: [explain('yes', true), explain('no')] }).kind).toBe('single');
    expect(valid({ kind: 'multi', id: 'b', explanation: 'x', options: [explain('yes', true), explain('no')] }).kind).toBe('multi');
    expect(valid({ kind: 'numeric', id: 'c', answer: 3, tolerance: 0, explanation: 'x' }).kind).toBe('numeric');
    expect(valid({ kind: 'numeric', id: 'd', generator: 'fixture-sum' }).kind).toBe('numeric');
    expect(valid({ kind: 'ordering', id: 'e', explanation: 'x', items: ['1', '2', '3'] }).kind).toBe('ordering');
    expect(
      valid({ kind: 'matching', id: 'f', explanation: 'x', pairs: [{ left: 'a', right: '1' }, { left: 'b', right: '2' }, { left: 'c', right: '3' }] })
        .kind,
    ).toBe('matching');
  });

  test.each([
    ['a single choice with two correct options', { kind: 'single', id: 'a', explanation: 'x', options: [explain('1', true), explain('2', true)] }, /exactly one/],
    ['an option without an explanation', { kind: 'single', id: 'a', explanation: 'x', options: [{ text: '1', correct: true }, explain('2')] }, /options\.0\.explain/],
    ['a multi-select with no correct option', { kind: 'multi', id: 'b', explanation: 'x', options: [explain('1'), explain('2')] }, /at least one option/],
    ['a numeric with both answer and generator', { kind: 'numeric', id: 'c', answer: 1, generator: 'fixture-sum' }, /either answer/],
    ['an unknown generator', { kind: 'numeric', id: 'c', generator: 'no-such-thing' }, /no file in src\/quiz\/generators/],
    ['an ordering with duplicates', { kind: 'ordering', id: 'e', explanation: 'x', items: ['1', '1', '2'] }, /distinct/],
    ['an id that is not kebab-case', { kind: 'ordering', id: 'Bad Id', explanation: 'x', items: ['1', '2', '3'] }, /kebab-case/],
    ['an unknown prop (a typo)', { kind: 'single', id: 'a', explanation: 'x', optons: [] }, /optons|options/],
  ])('rejects %s, naming the file and the reason', (_label, props, reason) => {
    let error: unknown;
    try {
      valid(props as Record<string, unknown>);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(QuestionError);
    expect((error as Error).message).toContain(source);
    expect((error as Error).message).toMatch(reason);
  });
});
