/** Unit tests of the environment-agnostic core: compile, registry, errors, output, scoring, formats. */
import { describe, expect, test } from 'vitest';
import { compileModule } from '../../grader/core/compile.ts';
import { driveRun, type Launch } from '../../grader/core/driver.ts';
import { labManifestSchema, submissionSchema } from '../../grader/core/lab-format.ts';
import { OutputBuffer, OutputLimitError, utf8Length } from '../../grader/core/output.ts';
import type { SessionEvent } from '../../grader/core/protocol.ts';
import { ImportError, ModuleRegistry, createEvaluator, resolveRelative } from '../../grader/core/registry.ts';
import { HIDDEN_DETAILS, scoreRun, studentView } from '../../grader/core/scoring.ts';
import { describeThrown, locateThrown } from '../../grader/core/thrown.ts';
import type { TestInfo } from '../../grader/core/types.ts';

describe('compile', () => {
  test('strips types and turns imports into require calls', () => {
    const compiled = compileModule('starter/a.ts', "import { x } from './b.ts';\nexport const y: number = x + 1;\n");
    expect(compiled.ok).toBe(true);
    if (compiled.ok) {
      expect(compiled.code).toContain("require('./b.ts')");
      expect(compiled.code).not.toContain(': number');
    }
  });

  test('a syntax error names the file, line and column', () => {
    const compiled = compileModule('starter/solution.ts', 'const a = 1;\nconst = 2;\n');
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) {
      expect(compiled.diagnostic).toMatchObject({ kind: 'syntax', file: 'starter/solution.ts', line: 2, blocking: true });
      expect(compiled.diagnostic.message).toMatch(/^Syntax error at starter\/solution\.ts:2:\d+: Unexpected token/);
    }
  });

  test('keeps line numbers so errors point at the learner\'s lines', () => {
    const source = "import { SimError } from '@virtlab/sim';\n\n\nexport function f(): void {\n  throw new SimError('INVALID_ARGUMENT', 'x');\n}\n";
    const compiled = compileModule('starter/s.ts', source);
    if (!compiled.ok) throw new Error('did not compile');
    expect(compiled.code.split('\n').findIndex((line) => line.includes('throw'))).toBe(4);
  });
});

describe('module registry', () => {
  const registry = (modules: Record<string, string>, policy: (importer: string, resolved: string) => string | undefined = () => undefined) =>
    new ModuleRegistry({
      modules: new Map(Object.entries(modules)),
      builtins: new Map([['@virtlab/sim', { __esModule: true, answer: 42 }]]),
      evaluate: createEvaluator(),
      policy,
    });

  test('resolves relative paths with and without the extension', () => {
    expect(resolveRelative('tests/public.ts', '../starter/solution.ts')).toBe('starter/solution.ts');
    expect(resolveRelative('starter/a.ts', '../../etc/passwd')).toBeUndefined();
    const r = registry({ 'starter/a.ts': "exports.v = require('./b').w + require('@virtlab/sim').answer;", 'starter/b.ts': 'exports.w = 1;' });
    expect(r.load('starter/a.ts')['v']).toBe(43);
  });

  test('refuses anything outside the lab and names the import', () => {
    const r = registry({ 'starter/a.ts': "require('node:fs');" });
    expect(() => r.load('starter/a.ts')).toThrow(ImportError);
    expect(() => r.load('starter/a.ts')).toThrow(/starter\/a\.ts imports 'node:fs'/);
  });

  test('applies the import policy', () => {
    const r = registry({ 'starter/a.ts': "require('../tests/hidden.ts');", 'tests/hidden.ts': '' }, (importer, resolved) => (importer.startsWith('starter/') && resolved.startsWith('tests/') ? 'no' : undefined));
    expect(() => r.load('starter/a.ts')).toThrow(/imports '\.\.\/tests\/hidden\.ts': no/);
  });

  test('cycles see partial exports, as in CommonJS', () => {
    const r = registry({ 'starter/a.ts': "exports.a = 1; exports.seen = require('./b.ts').seenA;", 'starter/b.ts': "exports.seenA = require('./a.ts').a;" });
    expect(r.load('starter/a.ts')['seen']).toBe(1);
  });

  test('runs modules in strict mode', () => {
    const r = registry({ 'starter/a.ts': 'undeclared = 1;' });
    expect(() => r.load('starter/a.ts')).toThrow(ReferenceError);
  });
});

describe('describing thrown values', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['null', () => null, /threw null/],
    ['undefined', () => undefined, /threw undefined/],
    ['a string', () => 'text', /threw the string "text"/],
    ['a symbol', () => Symbol('s'), /threw a symbol s/],
    ['a number', () => 7, /threw number 7/],
    ['an Error', () => new RangeError('too far'), /^RangeError: too far$/],
    ['an object whose getters throw', () => ({ get message() { throw new Error('no'); } }), /not an Error/],
    ['a Proxy whose traps throw', () => new Proxy({}, { get() { throw new Error('trap'); } }), /not an Error/],
  ];
  test.each(cases)('%s', (_label, make, expected) => {
    expect(describeThrown(make())).toMatch(expected);
  });

  test('finds the first lab frame in a stack', () => {
    const error = { stack: 'Error: x\n    at f (virtlab:///starter/solution.ts:12:5)\n    at g (virtlab:///tests/public.ts:3:1)' };
    expect(locateThrown(error, false)).toBe('starter/solution.ts:12');
    const fromTest = { stack: 'Error: x\n    at g (virtlab:///tests/public.ts:3:1)\n    at f (virtlab:///starter/solution.ts:12:5)' };
    expect(locateThrown(fromTest, true)).toBe('starter/solution.ts:12');
    expect(locateThrown(fromTest, false)).toBe('tests/public.ts:3');
  });
});

describe('output buffer', () => {
  test('counts UTF-8 bytes', () => {
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4);
  });

  test('stops at the limit, keeps what fits and says it was truncated', () => {
    let overflows = 0;
    const buffer = new OutputBuffer(20, () => (overflows += 1));
    buffer.write('0123456789');
    expect(() => buffer.write('abcdefghijklmnop')).toThrow(OutputLimitError);
    expect(() => buffer.write('more')).toThrow(OutputLimitError);
    expect(buffer.overflowed).toBe(true);
    expect(overflows).toBe(1);
    expect(buffer.text()).toMatch(/^0123456789\nabcdefghi\n… output truncated/);
  });
});

const info = (index: number, visibility: 'public' | 'hidden', points: number): TestInfo => ({ index, name: `t${index}`, fullName: `t${index}`, file: `tests/${visibility}.ts`, visibility, points, timeoutMs: 100 });
const manifest = labManifestSchema.parse({
  id: 'demo',
  title: 'Demo',
  version: 2,
  summary: '',
  minutes: 5,
  lessons: [],
  files: [{ path: 'solution.ts', editable: true }],
  points: { public: 3, hidden: 2 },
  limits: { timeMs: 1000, memoryMb: 32, outputBytes: 1024 },
  showHiddenOutputToStudents: false,
});

describe('scoring', () => {
  const run = {
    tests: [info(0, 'public', 1), info(1, 'public', 2), info(2, 'hidden', 2)],
    outcomes: [
      { verdict: 'passed' as const, message: '', output: 'hi', durationMs: 1 },
      { verdict: 'failed' as const, message: 'expected 1 to be 2', output: '', durationMs: 1 },
      { verdict: 'failed' as const, message: 'secret case 17', location: 'tests/hidden.ts:9', output: 'secret output', durationMs: 1 },
    ],
    load: { diagnostics: [], output: '' },
  };

  test('a test earns its points only when it passed', () => {
    const result = scoreRun(manifest, run, [], 5);
    expect(result).toMatchObject({ score: 1, maxScore: 5, publicScore: 1, publicMax: 3, hiddenScore: 0, hiddenMax: 2 });
  });

  test("students' view hides hidden tests' messages, output and location", () => {
    const shown = studentView(scoreRun(manifest, run, [], 5), manifest);
    const hidden = shown.tests[2];
    expect(hidden).toMatchObject({ message: HIDDEN_DETAILS, output: '' });
    expect(hidden?.location).toBeUndefined();
    expect(JSON.stringify(shown)).not.toContain('secret');
    expect(shown.tests[1]?.message).toBe('expected 1 to be 2');
    const open = studentView(scoreRun(manifest, run, [], 5), { showHiddenOutputToStudents: true });
    expect(open.tests[2]?.output).toBe('secret output');
  });
});

describe('driver', () => {
  const options = { limits: { timeMs: 1000, memoryMb: 32, outputBytes: 1024 }, graceMs: 10, startupMs: 1000, now: () => Date.now(), setTimer: (f: () => void, ms: number) => setTimeout(f, ms), clearTimer: (t: unknown) => clearTimeout(t as NodeJS.Timeout) };
  const tests = [info(0, 'public', 1), info(1, 'public', 1), info(2, 'hidden', 1)];
  const passed = { verdict: 'passed' as const, message: '', output: '', durationMs: 0 };

  test('a session that dies during a test gives that test the verdict and resumes with the next', async () => {
    const starts: number[] = [];
    const launch: Launch = (resume, onEvent) => {
      starts.push(resume.fromIndex);
      const emit = (event: SessionEvent): void => onEvent(event);
      emit({ type: 'tests', report: { tests } });
      emit({ type: 'loaded', report: { diagnostics: [], output: '' } });
      for (let i = resume.fromIndex; i < tests.length; i++) {
        emit({ type: 'start', index: i, timeoutMs: 100 });
        if (i === 1 && resume.fromIndex <= 1) return { ended: Promise.resolve({ kind: 'died', verdict: 'memory' }), kill: () => {} };
        emit({ type: 'result', index: i, outcome: passed });
      }
      emit({ type: 'done' });
      return { ended: Promise.resolve({ kind: 'done' }), kill: () => {} };
    };
    const run = await driveRun(launch, options);
    expect(starts).toEqual([0, 2]);
    expect(run.outcomes.map((o) => o.verdict)).toEqual(['passed', 'memory', 'passed']);
  });

  test('a session that hangs is killed at the time limit', async () => {
    let killedWith = '';
    const launch: Launch = (resume, onEvent) => {
      onEvent({ type: 'tests', report: { tests: tests.slice(0, 1) } });
      onEvent({ type: 'loaded', report: { diagnostics: [], output: '' } });
      onEvent({ type: 'start', index: 0, timeoutMs: 20 });
      let end: (value: { kind: 'died'; verdict: 'timeout' }) => void = () => {};
      void resume;
      return {
        ended: new Promise((resolve) => (end = resolve)),
        kill: (verdict) => {
          killedWith = verdict;
          end({ kind: 'died', verdict: 'timeout' });
        },
      };
    };
    const run = await driveRun(launch, options);
    expect(killedWith).toBe('timeout');
    expect(run.outcomes[0]).toMatchObject({ verdict: 'timeout', message: expect.stringMatching(/Timed out/) });
  });

  test('a blocking load problem marks every test not-run with the reason', async () => {
    const launch: Launch = (_resume, onEvent) => {
      onEvent({ type: 'tests', report: { tests } });
      onEvent({ type: 'loaded', report: { diagnostics: [{ kind: 'syntax', message: 'Syntax error at starter/s.ts:3:1', blocking: true }], output: '' } });
      onEvent({ type: 'done' });
      return { ended: Promise.resolve({ kind: 'done' }), kill: () => {} };
    };
    const run = await driveRun(launch, options);
    expect(run.outcomes.map((o) => o.verdict)).toEqual(['not-run', 'not-run', 'not-run']);
    expect(run.outcomes[0]?.message).toContain('starter/s.ts:3:1');
  });
});

describe('formats', () => {
  test('the manifest schema explains what is wrong', () => {
    const parsed = labManifestSchema.safeParse({ ...manifest, id: 'Not Kebab', files: [{ path: '../escape.ts', editable: true }] });
    expect(parsed.success).toBe(false);
    const text = JSON.stringify(parsed.error?.issues.map((i) => [i.path.join('.'), i.message]));
    expect(text).toContain('kebab-case');
    expect(text).toContain('files.0.path');
  });

  test('the submission schema accepts what the site writes and rejects other shapes', () => {
    const submission = { format: 'virtlab-submission', formatVersion: 1, lab: 'demo', labVersion: 2, files: { 'solution.ts': 'x' }, createdAt: '2025-05-01T12:00:00.000Z', student: 'ada' };
    expect(submissionSchema.safeParse(submission).success).toBe(true);
    expect(submissionSchema.safeParse({ ...submission, formatVersion: 2 }).success).toBe(false);
    expect(submissionSchema.safeParse({ ...submission, files: { 'solution.ts': 3 } }).success).toBe(false);
  });
});
