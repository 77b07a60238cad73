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
  /** Names of files in grader/fixtures/adversarial/in-labs/. */
  attacks: string[];
}

export const LAB_ATTACKS: readonly LabAttacks[] = [
  { lab: 'consolidate', file: 'consolidate.ts', fn: 'planConsolidation', attacks: ['microtask-flood'] },
  { lab: 'trap-and-emulate', file: 'vmm.ts', fn: 'handleExit', attacks: ['console-flood', 'import-then-logs', 'load-console-flood'] },
];

/** The reference solution (`solution`, files by path) with `attack` called first thing in `target.fn`. */
export function attacked(solution: Readonly<Record<string, string>>, target: Pick<LabAttacks, 'file' | 'fn'>, attack: string): SubmissionFiles {
  const source = solution[target.file] ?? '';
  const opening = new RegExp(`export function ${target.fn}\\([^)]*\\)[^{]*\\{`);
  if (!opening.test(source)) throw new Error(`no exported function ${target.fn} in ${target.file}`);
  const code = readFileSync(join(ADVERSARIAL, 'in-labs', `${attack}.ts`), 'utf8').replace('// @ts-nocheck', '');
  return { [target.file]: `${source.replace(opening, (found) => `${found}\n  attack();`)}\n${code}` };
}
