/**
 * Hostile and broken submissions, graded in real sandboxes (a locked-down process per
 * submission, an isolated-vm isolate inside it). See grader/fixtures/adversarial/README.md.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GradeResult } from '../../grader/core/types.ts';
import { gradeBatch } from '../../grader/node/batch.ts';
import { Grader } from '../../grader/node/grader.ts';
import type { LoadedLab } from '../../grader/node/lab-loader.ts';
import { ADVERSARIAL, EMPTY_TEST, FIXTURE_LAB_DIR, SETUP_TIMEOUT_MS, TEST_CONCURRENCY, adversarial, adversarialJson, allOutput, fixtureLab, testNamed } from './helpers.ts';

let lab: LoadedLab;
let grader: Grader;

beforeAll(async () => {
  lab = await fixtureLab();
  grader = await Grader.open(lab, { concurrency: TEST_CONCURRENCY });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await grader.close();
});

describe('resource exhaustion costs only the affected test, and the batch goes on', () => {
  const cases = [
    { fixture: 'infinite-loop', verdict: 'timeout', message: /Timed out/ },
    { fixture: 'huge-allocation', verdict: 'memory', message: /Out of memory/ },
    { fixture: 'console-flood', verdict: 'output-limit', message: /Output limit exceeded/ },
    { fixture: 'deep-recursion', verdict: 'error', message: /Maximum call stack size exceeded/ },
  ] as const;
  let rows: Awaited<ReturnType<typeof gradeBatch>>;

  beforeAll(async () => {
    // Honest submissions around and between the hostile ones: they must come out untouched.
    const inputs = [
      { ok: true as const, student: 'honest-1', source: 'mem', files: lab.solution },
      ...cases.flatMap((c, i) => [
        { ok: true as const, student: c.fixture, source: 'mem', files: adversarial(c.fixture) },
        { ok: true as const, student: `honest-${i + 2}`, source: 'mem', files: lab.solution },
      ]),
    ];
    rows = await gradeBatch(grader, inputs);
  }, SETUP_TIMEOUT_MS);

  test.each(cases)('$fixture → $verdict on the one test it affects, full marks elsewhere', ({ fixture, verdict, message }) => {
    const row = rows.find((r) => r.student === fixture);
    if (row?.status !== 'graded') throw new Error(`${fixture} was not graded: ${JSON.stringify(row)}`);
    const affected = testNamed(row.result, EMPTY_TEST);
    expect(affected.verdict, affected.message).toBe(verdict);
    expect(affected.message).toMatch(message);
    expect(affected.score).toBe(0);
    const others = row.result.tests.filter((t) => t.fullName !== EMPTY_TEST);
    expect(others.map((t) => t.verdict)).toEqual(others.map(() => 'passed'));
    expect(row.result.score).toBe(row.result.maxScore - affected.points);
  });

  test('every honest submission in the same batch gets full marks', () => {
    const honest = rows.filter((r) => r.student.startsWith('honest-'));
    expect(honest).toHaveLength(cases.length + 1);
    for (const row of honest) {
      expect(row.status).toBe('graded');
      if (row.status === 'graded') expect(row.result.score).toBe(10);
    }
  });

  test('the console flood is cut at the lab output limit', () => {
    const row = rows.find((r) => r.student === 'console-flood');
    if (row?.status !== 'graded') throw new Error('not graded');
    const output = testNamed(row.result, EMPTY_TEST).output;
    expect(output).toContain('output truncated');
    expect(Buffer.byteLength(output)).toBeLessThan(lab.manifest.limits.outputBytes + 200);
  });
});

describe('escapes from the sandbox all fail', () => {
  let workDir: string;
  let server: Server;
  let connections = 0;
  let result: GradeResult;
  const writePath = (): string => join(workDir, 'escaped.txt');

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'virtlab-escape-'));
    server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    result = await grader.grade(
      adversarial('escape-attempts', {
        __HIDDEN_PATH__: join(FIXTURE_LAB_DIR, 'tests/hidden.ts'),
        __SOLUTION_PATH__: join(FIXTURE_LAB_DIR, 'solution/solution.ts'),
        __OTHER_SUBMISSION__: join(ADVERSARIAL, 'monkeypatch.ts'),
        __WRITE_PATH__: writePath(),
        __PORT__: String(port),
      }),
    );
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    server.close();
    await rm(workDir, { recursive: true, force: true });
  });

  test('every attempt reports blocked, none succeeded', () => {
    const lines = allOutput(result).split('\n').filter((line) => line.startsWith('ESCAPE '));
    // 33 synchronous attempts at load and again in the test, plus 4 dynamic imports.
    expect(lines.length).toBeGreaterThanOrEqual(33 * 2 + 4);
    expect(lines.filter((line) => !/: blocked/.test(line))).toEqual([]);
  });

  test('imports outside the lab name the import and are refused', () => {
    const output = allOutput(result);
    expect(output).toMatch(/ESCAPE require fs: blocked \(solution\.ts imports 'fs': only '@virtlab\/sim'/);
    expect(output).toMatch(/ESCAPE require hidden tests: blocked \(solution\.ts imports '\.\.\/tests\/hidden\.ts': learner files cannot import test files/);
    expect(output).toMatch(/ESCAPE require reference solution: blocked \(.*no such file in this lab/);
    expect(output).toMatch(/ESCAPE process\.exit: blocked \(process is not defined\)/);
  });

  test('no hidden test or solution text reached the output', () => {
    const output = allOutput(result);
    expect(output).not.toContain('const seeds = [1, 2, 3, 5, 8, 13, 21, 34]');
    expect(output).not.toContain('First-fit decreasing: biggest VMs first');
  });

  test('no file was written and no connection was made', () => {
    expect(existsSync(writePath())).toBe(false);
    expect(connections).toBe(0);
  });

  test('the submission is otherwise graded normally', () => {
    expect(result.score).toBe(10);
  });
});

describe('faking a pass earns nothing', () => {
  test.each(['monkeypatch', 'process-exit', 'fake-output', 'proxy-return', 'odd-throws'])('%s scores 0', async (fixture) => {
    const result = await grader.grade(adversarial(fixture));
    expect(result.score).toBe(0);
    expect(result.tests.every((t) => t.verdict !== 'passed')).toBe(true);
  });

  test('every monkeypatch of intrinsics, matchers and globals is refused', async () => {
    const result = await grader.grade(adversarial('monkeypatch'));
    const lines = result.loadOutput.split('\n').filter((line) => line.startsWith('PATCH '));
    expect(lines.length).toBeGreaterThanOrEqual(19);
    expect(lines.filter((line) => !line.includes(': refused'))).toEqual([]);
  });

  test('patching the simulator is refused: the submission scores like the honest wrong answer', async () => {
    const [tampering, honest] = await Promise.all([grader.grade(adversarial('tamper-simulator')), grader.grade(lab.mutants['ignores-capacity'] ?? {})]);
    expect(tampering.loadOutput).not.toMatch(/TAMPER .*: applied/);
    expect(tampering.loadOutput.match(/TAMPER .*: refused/g)).toHaveLength(3);
    expect(tampering.score).toBe(honest.score);
    expect(testNamed(tampering, 'random fleets › placements are valid').verdict).toBe('failed');
  });

  test('odd thrown values are described as plain text, never passed', async () => {
    const result = await grader.grade(adversarial('odd-throws'));
    const messages = result.tests.map((t) => t.message);
    for (const message of messages) expect(typeof message).toBe('string');
    expect(messages.join('\n')).toMatch(/threw null/);
    expect(messages.join('\n')).toMatch(/threw undefined/);
  });

  test('printed fake results stay console output', async () => {
    const result = await grader.grade(adversarial('fake-output'));
    expect(allOutput(result)).toContain('"verdict":"passed"');
    expect(result.tests.filter((t) => t.verdict === 'passed')).toEqual([]);
  });
});

describe('broken submissions get a clear message, a location and 0', () => {
  test('syntax error: file, line and column', async () => {
    const result = await grader.grade(adversarialJson('syntax-error'));
    expect(result.score).toBe(0);
    const blocking = result.diagnostics.find((d) => d.blocking);
    expect(blocking).toMatchObject({ kind: 'syntax', file: 'solution.ts', line: 4 });
    expect(blocking?.message).toMatch(/Syntax error at solution\.ts:4:\d+/);
    expect(result.tests.every((t) => t.verdict === 'not-run')).toBe(true);
  });

  test('type error: reported with its location, costs no points', async () => {
    const result = await grader.grade(adversarialJson('type-error'));
    const typeError = result.diagnostics.find((d) => d.kind === 'type');
    expect(typeError).toMatchObject({ file: 'solution.ts', blocking: false });
    expect(typeError?.message).toMatch(/Type error at solution\.ts:\d+:\d+: Type 'string' is not assignable to type 'number'/);
    expect(result.score).toBe(10);
  });

  test('missing export: names the export', async () => {
    const result = await grader.grade(adversarial('missing-export'));
    expect(result.score).toBe(0);
    expect(result.diagnostics.find((d) => d.blocking)).toMatchObject({ kind: 'missing-export', file: 'solution.ts' });
    expect(result.diagnostics.find((d) => d.blocking)?.message).toMatch(/does not export 'placeVms'/);
  });

  test('empty file: the missing export is named', async () => {
    const result = await grader.grade(adversarial('empty'));
    expect(result.score).toBe(0);
    expect(result.diagnostics.find((d) => d.blocking)?.message).toMatch(/does not export 'placeVms'/);
  });

  test('a file that throws while loading: where and why', async () => {
    const result = await grader.grade(adversarial('top-level-throw'));
    expect(result.score).toBe(0);
    expect(result.diagnostics.find((d) => d.blocking)).toMatchObject({ kind: 'load', file: 'solution.ts', line: 4 });
    expect(result.diagnostics.find((d) => d.blocking)?.message).toMatch(/table was not initialised/);
  });

  test('a Node import: names the import', async () => {
    const result = await grader.grade(adversarial('imports-node-fs'));
    expect(result.score).toBe(0);
    expect(result.diagnostics.find((d) => d.blocking)).toMatchObject({ kind: 'import', file: 'solution.ts' });
    expect(result.diagnostics.find((d) => d.blocking)?.message).toMatch(/imports 'node:fs'/);
  });
});
