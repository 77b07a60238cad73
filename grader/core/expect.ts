/**
 * `expect` for lab tests: Jest-style matchers from `@vitest/expect` on top of chai, the same
 * matchers Vitest uses. Assertion counting (`expect.assertions(n)`) lives in this module's
 * closure rather than in the library's global state, where learner code could reach it.
 */
import * as chai from 'chai';
import {
  JestAsymmetricMatchers,
  JestChaiExpect,
  JestExtend,
  customMatchers,
  setState,
  type Assertion,
  type ExpectStatic,
  type MatchersObject,
} from '@vitest/expect';

/** The `expect` lab tests import from `@virtlab/test`. */
export interface LabExpect extends Omit<ExpectStatic, 'getState' | 'setState'> {
  <T>(actual: T, message?: string): Assertion<void, T>;
  /** Fails the test unless exactly `count` assertions ran in it. */
  assertions(count: number): void;
  /** Fails the test unless at least one assertion ran in it. */
  hasAssertions(): void;
  /** Fails the test when reached. */
  unreachable(message?: string): never;
}

/** Per-test bookkeeping the harness resets before each test and checks after it. */
export interface AssertionTally {
  calls: number;
  expected: number | null;
  expectAny: boolean;
}

// Failure messages show the values: chai would otherwise abbreviate anything longer than 40
// characters (`expected [ …(13) ] to deeply equal []`). The message as a whole is capped where
// failures are described (thrown.ts), saying how much was left out.
chai.config.truncateThreshold = 0;
chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

const tally: AssertionTally = { calls: 0, expected: null, expectAny: false };

function expectValue(value: unknown, message?: string): ReturnType<ExpectStatic> {
  tally.calls += 1;
  return chai.expect(value, message) as unknown as ReturnType<ExpectStatic>;
}

/** The shared `expect`. */
export const expect = expectValue as unknown as LabExpect;
Object.assign(expect, chai.expect);
// chai's methods (expect.any, expect.objectContaining, ...) keep flags on `this`. Called as
// expect.any(...), `this` would be the frozen expect; give each call a fresh object instead.
for (const key of Object.keys(chai.expect)) {
  const method: unknown = (chai.expect as unknown as Record<string, unknown>)[key];
  if (typeof method === 'function') {
    (expect as unknown as Record<string, unknown>)[key] = (...args: unknown[]): unknown => (method as (...a: unknown[]) => unknown).apply({}, args);
  }
}
setState(
  { assertionCalls: 0, isExpectingAssertions: false, isExpectingAssertionsError: null, expectedAssertionsNumber: null, expectedAssertionsNumberErrorGen: null, currentTestName: '' },
  expect as unknown as ExpectStatic,
);
Object.assign(expect, {
  extend(matchers: MatchersObject): void {
    (chai.expect as unknown as { extend(expect: unknown, matchers: MatchersObject): void }).extend(expect, matchers);
  },
  assertions(count: number): void {
    tally.expected = count;
  },
  hasAssertions(): void {
    tally.expectAny = true;
  },
  unreachable(message?: string): never {
    throw new chai.AssertionError(`expected${message === undefined ? ' ' : ` "${message}" `}not to be reached`);
  },
});
expect.extend(customMatchers);
// Asymmetric matchers (expect.any, expect.objectContaining, ...) are registered on a global
// object by the plugin; copy them onto this expect as Vitest does.
const asymmetric = (globalThis as unknown as Record<symbol, object>)[Symbol.for('asymmetric-matchers-object')];
if (asymmetric !== undefined) Object.assign(expect, asymmetric);

/** Resets the assertion tally at the start of a test. */
export function resetAssertionTally(): void {
  tally.calls = 0;
  tally.expected = null;
  tally.expectAny = false;
}

/** After a test body finished: the assertion-count failure message, if any. */
export function checkAssertionTally(): string | undefined {
  if (tally.expected !== null && tally.calls !== tally.expected) {
    return `expected ${tally.expected} assertion${tally.expected === 1 ? '' : 's'} to run, but ${tally.calls} ran`;
  }
  if (tally.expectAny && tally.calls === 0) return 'expected at least one assertion to run, but none ran';
  return undefined;
}

/** True for errors thrown by a failed expectation (as opposed to errors from the code under test). */
export function isAssertionError(error: unknown): boolean {
  return error instanceof chai.AssertionError;
}

/** Objects the matchers keep on the global object; frozen before learner code runs. */
export function matcherGlobals(): unknown[] {
  const global = globalThis as unknown as Record<symbol, unknown>;
  return [
    global[Symbol.for('matchers-object')],
    global[Symbol.for('$$jest-matchers-object')],
    global[Symbol.for('asymmetric-matchers-object')],
    chai,
  ];
}
