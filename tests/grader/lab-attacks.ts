/**
 * Attacks on the real labs, for the tests that compare verdicts in Node and in the browser
 * (tests/grader/browser-agreement.test.ts against the browser runner's code, and
 * tests/e2e/attack-parity.spec.ts through the real lab page in Chromium): a lab's reference
 * solution with an attack from grader/fixtures/adversarial/in-labs/ called first thing in the
 * function its tests call.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SubmissionFiles } from '../../grader/core/types.ts';
import { ADVERSARIAL } from './helpers.ts';

export interface LabAttacks {
  lab: string;
  /** The editable file the attack goes into, and the exported function that calls it. */
  file: string;
  fn: string;
  /** Files in grader/fixtures/adversarial/in-labs/, by name. */
  attacks: { name: string; limits: 'same-verdict' | 'race' }[];
}

/**
 * `race`: the attack fills the heap and never yields, so whether a test ends at its memory limit
 * or at its time limit depends on the machine's speed (and a page cannot measure a worker's heap
 * at all): the tests compare such verdicts as "a resource limit", not as memory or timeout.
 */
export const LAB_ATTACKS: readonly LabAttacks[] = [
  { lab: 'consolidate', file: 'consolidate.ts', fn: 'planConsolidation', attacks: [{ name: 'microtask-flood', limits: 'race' }] },
  {
    lab: 'trap-and-emulate',
    file: 'vmm.ts',
    fn: 'handleExit',
    attacks: [
      { name: 'console-flood', limits: 'same-verdict' },
      { name: 'import-then-logs', limits: 'same-verdict' },
      { name: 'load-console-flood', limits: 'same-verdict' },
    ],
  },
];

/** A verdict as the comparison for `limits` sees it. */
export function comparableVerdict(verdict: string, limits: 'same-verdict' | 'race'): string {
  return limits === 'race' && (verdict === 'memory' || verdict === 'timeout') ? 'a resource limit (memory or timeout)' : verdict;
}

/** The reference solution (`solution`, files by path) with `attack` called first thing in `target.fn`. */
export function attacked(solution: Readonly<Record<string, string>>, target: Pick<LabAttacks, 'file' | 'fn'>, attack: string): SubmissionFiles {
  const source = solution[target.file] ?? '';
  const opening = new RegExp(`export function ${target.fn}\\([^)]*\\)[^{]*\\{`);
  if (!opening.test(source)) throw new Error(`no exported function ${target.fn} in ${target.file}`);
  const code = readFileSync(join(ADVERSARIAL, 'in-labs', `${attack}.ts`), 'utf8').replace('// @ts-nocheck', '');
  return { [target.file]: `${source.replace(opening, (found) => `${found}\n  attack();`)}\n${code}` };
}
