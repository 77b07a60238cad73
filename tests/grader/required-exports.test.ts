/**
 * A submission must export exactly what the test files import from the learner's files (directly
 * or through the lab's helpers), not every export of the starter; a missing name costs the tests
 * of the files that import it, and the message names the file, the export and the test file.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requiredExportsOf } from '../../grader/core/run-request.ts';
import { Grader } from '../../grader/node/grader.ts';
import { loadLab, type LoadedLab } from '../../grader/node/lab-loader.ts';
import { REPO, TEST_CONCURRENCY, inMemoryLab } from './helpers.ts';

const names = (required: ReturnType<typeof requiredExportsOf>, path: string) => [...new Set((required[path] ?? []).map((r) => r.name))].sort();

describe('the required exports are what the tests import', () => {
  test('trap-and-emulate: only createVmm, whatever helpers the starter exports', async () => {
    const lab = await loadLab(join(REPO, 'labs/trap-and-emulate'));
    expect(names(requiredExportsOf(lab, true), 'starter/vmm.ts')).toEqual(['createVmm']);
  });

  test('consolidate: the names the public tests import through tests/checks.ts', async () => {
    const lab = await loadLab(join(REPO, 'labs/consolidate'));
    const required = requiredExportsOf(lab, false)['starter/consolidate.ts'] ?? [];
    expect(required).toContainEqual({ name: 'planConsolidation', testFile: 'tests/public.ts', via: 'tests/checks.ts' });
    expect(required.every((r) => r.testFile === 'tests/public.ts')).toBe(true);
  });
});

describe('a restructured trap-and-emulate VMM (createVmm kept, helpers no longer exported)', () => {
  let lab: LoadedLab;
  let grader: Grader;
  beforeAll(async () => {
    lab = await loadLab(join(REPO, 'labs/trap-and-emulate'));
    grader = await Grader.open(lab, { concurrency: TEST_CONCURRENCY, typecheck: false });
  }, 120_000);
  afterAll(async () => {
    await grader?.close();
  });

  test('gets full marks', { timeout: 300_000 }, async () => {
    const solution = lab.solution['vmm.ts'] ?? '';
    const restructured = solution.replace(/^export function (?!createVmm)/gm, 'function ');
    expect(restructured.match(/^export function/gm)).toHaveLength(1);
    const result = await grader.grade({ 'vmm.ts': restructured });
    expect(result.diagnostics.filter((d) => d.blocking)).toEqual([]);
    expect(result.score).toBe(result.maxScore);
  });

  test('without createVmm, every test is not-run and the message names the export and the test files', { timeout: 300_000 }, async () => {
    const result = await grader.grade({ 'vmm.ts': (lab.solution['vmm.ts'] ?? '').replace('export function createVmm', 'export function makeVmm') });
    const blocking = result.diagnostics.filter((d) => d.blocking);
    expect(blocking).toHaveLength(1);
    expect(blocking[0]?.message).toMatch(/^vmm\.ts does not export 'createVmm', which tests\/public\.ts and tests\/hidden\.ts import/);
    expect(new Set(result.tests.map((t) => t.verdict))).toEqual(new Set(['not-run']));
  });
});

describe('an export only the hidden tests import', () => {
  const publicSource = "import { test, expect } from '@virtlab/test';\nimport { double } from '../starter/solution.ts';\ntest('doubles', () => { expect(double(2)).toBe(4); });\n";
  const hiddenSource = "import { test, expect } from '@virtlab/test';\nimport { triple } from '../starter/solution.ts';\ntest('triples', () => { expect(triple(2)).toBe(6); });\n";
  const base = inMemoryLab(publicSource, 1, 'export function double(x: number): number { return 0; }\nexport function triple(x: number): number { return 0; }\n');
  const lab: LoadedLab = { ...base, manifest: { ...base.manifest, points: { public: 1, hidden: 1 } }, tests: { 'public.ts': publicSource, 'hidden.ts': hiddenSource } };
  const submission = { 'solution.ts': 'export function double(x: number): number { return 2 * x; }\n' };

  test('costs only the hidden tests, and the public verdicts equal a public-only (browser) run', { timeout: 120_000 }, async () => {
    const [full, publicOnly] = await Promise.all([Grader.open(lab, { concurrency: 1, typecheck: false }), Grader.open(lab, { concurrency: 1, typecheck: false, includeHidden: false })]);
    try {
      const [all, onlyPublic] = await Promise.all([full.grade(submission), publicOnly.grade(submission)]);
      expect(all.tests.map((t) => [t.fullName, t.verdict])).toEqual([
        ['doubles', 'passed'],
        ['triples', 'not-run'],
      ]);
      expect(all.tests[1]?.message).toBe("Not run: solution.ts does not export 'triple', which tests/hidden.ts imports. Export 'triple' from solution.ts (same name) as the instructions describe.");
      expect(onlyPublic.tests.map((t) => [t.fullName, t.verdict])).toEqual([['doubles', 'passed']]);
      expect(onlyPublic.diagnostics.filter((d) => d.blocking)).toEqual([]);
    } finally {
      await Promise.all([full.close(), publicOnly.close()]);
    }
  });
});
