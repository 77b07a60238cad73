/**
 * The harness runtime: what runs *inside* the sandbox (an isolated-vm isolate, a `node:vm`
 * context or a browser Web Worker). It locks the realm down, collects the tests, loads the
 * learner's modules and runs one test at a time, answering with JSON strings.
 *
 * Order matters for trust: (1) lock the realm down, (2) collect tests while learner modules are
 * only lazy placeholders, so no learner code runs yet, (3) freeze the test API, the matchers and
 * the simulator, (4) run learner code. Verdicts are decided here, from values the harness
 * captured; the host only ever gets JSON built by this module.
 */
import { checkAssertionTally, isAssertionError, matcherGlobals, resetAssertionTally } from './expect.ts';
import { learnerFileName } from './learner-names.ts';
import { harden, lockdownRealm } from './lockdown.ts';
import { OutputBuffer, OutputLimitError, createCapturingConsole } from './output.ts';
import type { CollectReport, InterruptedTest, LoadReport, RunRequest } from './protocol.ts';
import { DEFAULT_TEST_TIMEOUT_MS } from './protocol.ts';
import { ImportError, ModuleRegistry, createEvaluator, type ModuleExports } from './registry.ts';
import * as testApi from './test-api.ts';
import { ATTACHMENT_LIMIT_BYTES, TestCollector, collectTests, setAttachmentSink, type DeclaredTest } from './test-api.ts';
import { describeThrown, locateThrown } from './thrown.ts';
import type { RequiredExport } from './test-imports.ts';
import type { Diagnostic, TestAttachment, TestInfo, TestOutcome, Verdict } from './types.ts';

/** The functions a host calls; each takes and returns JSON strings. */
export interface Runtime {
  /** Collects the tests of a {@link RunRequest} (JSON); returns a {@link CollectReport} (JSON). */
  collect(requestJson: string): string;
  /** Runs the learner's modules; returns a {@link LoadReport} (JSON). */
  loadLearner(): string;
  /** Runs test `index`; resolves to a {@link TestOutcome} (JSON). */
  runTest(index: number): Promise<string>;
  /** The {@link InterruptedTest} state of the call the host just stopped or lost (JSON). */
  interrupted(): string;
}

/** What the environment provides to the runtime. */
export interface RuntimeEnvironment {
  /** The simulator's module (`@virtlab/sim`). */
  sim: object;
  /** A clock in milliseconds (Date.now inside isolates; performance.now where available). */
  now?: () => number;
  /**
   * Told when test `index` passes the output limit. A browser worker forwards this to the
   * driver, which otherwise could not tell a console flood from an endless loop when it has to
   * stop the worker; in isolates the host asks {@link Runtime.interrupted} instead.
   */
  onOutputOverflow?: (index: number) => void;
}

// Captured before learner code runs (lockdown freezes them too; capturing keeps the intent plain).
const { stringify } = JSON;
const promiseThen = Promise.prototype.then;

/** Brand check: a real promise (not a thenable or a Proxy pretending to be one). */
function isNativePromise(value: unknown): value is Promise<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  try {
    promiseThen.call(value, undefined, undefined);
    return true;
  } catch {
    return false;
  }
}

/** A namespace standing in for a learner module while tests are collected; filled by loadLearner. */
interface LazyModule {
  proxy: ModuleExports;
  target: { exports: ModuleExports | null };
}

function lazyModule(path: string): LazyModule {
  const target: { exports: ModuleExports | null } = { exports: null };
  const file = path.replace(/^starter\//, '');
  const proxy = new Proxy(Object.create(null) as ModuleExports, {
    get(_unused, key) {
      if (key === '__esModule') return true;
      if (target.exports === null) {
        throw new Error(`A test file used ${file}'s export '${String(key)}' while tests were being collected. Call learner code only inside test() bodies or hooks.`);
      }
      const value = target.exports[key];
      if (value === undefined && typeof key === 'string' && !(key in target.exports)) {
        throw new ReferenceError(`${file} does not export '${key}', which this test uses. Export '${key}' from ${file} (same name).`);
      }
      return value;
    },
    has(_unused, key) {
      return target.exports !== null && key in target.exports;
    },
    ownKeys() {
      return target.exports === null ? [] : Reflect.ownKeys(target.exports);
    },
    getOwnPropertyDescriptor(_unused, key) {
      if (target.exports === null || !(key in target.exports)) return undefined;
      return { value: target.exports[key], writable: false, enumerable: true, configurable: true };
    },
    set() {
      return false;
    },
    defineProperty() {
      return false;
    },
  });
  return { proxy, target };
}

/** Module import rules: learner/starter files see the simulator and each other; tests see all. */
function importPolicy(testFiles: ReadonlySet<string>) {
  return (importer: string, resolved: string): string | undefined => {
    if (importer.startsWith('tests/')) return undefined;
    if (resolved === '@virtlab/test') return `only test files can import '@virtlab/test'`;
    if (testFiles.has(resolved) || resolved.startsWith('tests/')) return 'learner files cannot import test files';
    return undefined;
  };
}

/** Creates the runtime and locks the realm down. Call once per realm, before any learner code. */
export function createRuntime(environment: RuntimeEnvironment): Runtime {
  const now = environment.now ?? Date.now;
  let phase = new OutputBuffer(65_536);
  const console = createCapturingConsole(() => phase);
  const testModule: ModuleExports = Object.freeze({
    __esModule: true,
    describe: testApi.describe,
    test: testApi.test,
    it: testApi.it,
    expect: testApi.expect,
    beforeEach: testApi.beforeEach,
    afterEach: testApi.afterEach,
    plain: testApi.plain,
    attach: testApi.attach,
  });
  const simModule: ModuleExports = Object.freeze({ __esModule: true, ...(environment.sim as ModuleExports) });
  lockdownRealm(console);

  let request: RunRequest | null = null;
  let registry: ModuleRegistry | null = null;
  const lazy = new Map<string, LazyModule>();
  let declared: { test: DeclaredTest; info: TestInfo }[] = [];
  let learnerReady = false;
  let runToken = 0;
  // The last call's answer, kept for a host whose call was rejected after it finished.
  let answer: string | undefined;

  function collect(requestJson: string): string {
    if (request !== null) throw new Error('collect() was already called in this runtime');
    request = JSON.parse(requestJson) as RunRequest;
    const { modules, learnerFiles, testFiles, limits } = request;
    const compiled = new Map<string, string>();
    for (const [path, module] of Object.entries(modules)) compiled.set(path, 'code' in module ? module.code : '');
    // A learner file the submission lacks still resolves (to its placeholder), so the tests are
    // collected and loadLearner reports the missing file, rather than blaming the lab's tests.
    for (const path of learnerFiles) if (!compiled.has(path)) compiled.set(path, '');
    for (const path of learnerFiles) lazy.set(path, lazyModule(path));
    const testPaths = new Set(testFiles.map((f) => f.path));
    const evaluate = createEvaluator();
    registry = new ModuleRegistry({
      modules: compiled,
      builtins: new Map([['@virtlab/sim', simModule], ['@virtlab/test', testModule]]),
      evaluate,
      intercept: (path) => (learnerReady ? undefined : lazy.get(path)?.proxy),
      policy: importPolicy(testPaths),
    });

    const tests: TestInfo[] = [];
    const report: CollectReport = { tests };
    phase = new OutputBuffer(limits.outputBytes);
    try {
      for (const file of testFiles) {
        const module = modules[file.path];
        if (module === undefined) throw new Error(`The lab has no test file ${file.path}`);
        if ('diagnostic' in module) throw new Error(module.diagnostic.message);
        const collector = new TestCollector();
        const registryRef = registry;
        collectTests(collector, () => registryRef.load(file.path));
        for (const test of collector.tests) {
          const timeoutMs = Math.min(test.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS, limits.timeMs);
          const info: TestInfo = { index: tests.length, name: test.name, fullName: test.fullName, file: file.path, visibility: file.visibility, points: test.points, timeoutMs };
          if (tests.some((t) => t.fullName === info.fullName)) throw new Error(`Two tests are named "${info.fullName}"; test names must be unique within a lab`);
          tests.push(info);
          declared.push({ test, info });
        }
      }
      for (const visibility of ['public', 'hidden'] as const) {
        const sum = tests.filter((t) => t.visibility === visibility).reduce((total, t) => total + t.points, 0);
        const expected = request.expectedPoints[visibility];
        const ran = testFiles.some((f) => f.visibility === visibility);
        if (ran && sum !== expected) throw new Error(`The ${visibility} tests add up to ${sum} points but lab.json says points.${visibility} is ${expected}`);
      }
    } catch (error) {
      report.problem = `Lab test files could not be collected: ${describeThrown(error)}`;
      declared = [];
      tests.length = 0;
    }
    // From here on learner code may run: freeze what it could otherwise tamper with.
    harden(testModule);
    harden(simModule);
    for (const object of matcherGlobals()) harden(object);
    return stringify(report);
  }

  function loadLearner(): string {
    if (request === null || registry === null) throw new Error('loadLearner() needs collect() first');
    const diagnostics: Diagnostic[] = [];
    phase = new OutputBuffer(request.limits.outputBytes);
    learnerReady = true;
    for (const path of request.learnerFiles) {
      const module = request.modules[path];
      if (module === undefined) {
        diagnostics.push({ kind: 'file', file: path, message: `${learnerFileName(path)} is missing from the submission. Submit it (start from the starter's version).`, blocking: true });
        continue;
      }
      if ('diagnostic' in module) diagnostics.push(module.diagnostic);
    }
    if (diagnostics.length === 0) {
      for (const path of request.learnerFiles) {
        try {
          const exports = registry.load(path);
          const placeholder = lazy.get(path);
          if (placeholder !== undefined) placeholder.target.exports = exports;
          diagnostics.push(...missingExports(path, exports, request.requiredExports[path] ?? [], request.testFiles.map((f) => f.path)));
        } catch (error) {
          diagnostics.push(loadDiagnostic(path, error));
          break;
        }
      }
    }
    answer = stringify({ diagnostics, output: phase.text() } satisfies LoadReport);
    return answer;
  }

  async function runTest(index: number): Promise<string> {
    const entry = declared[index];
    if (request === null || entry === undefined) throw new Error(`No test ${index}`);
    const token = ++runToken;
    answer = undefined;
    const buffer = new OutputBuffer(request.limits.outputBytes, () => environment.onOutputOverflow?.(index));
    phase = buffer;
    resetAssertionTally();
    const attachments: TestAttachment[] = [];
    let attachedBytes = 0;
    let dropped = false;
    setAttachmentSink((attachment) => {
      attachedBytes += stringify(attachment).length;
      // Pictures must never change a verdict: past the limit, data is dropped with a note.
      if (attachedBytes > ATTACHMENT_LIMIT_BYTES) {
        if (!dropped) attachments.push({ name: 'dropped', data: `attachments past ${ATTACHMENT_LIMIT_BYTES} bytes in this test were left out` });
        dropped = true;
        return;
      }
      attachments.push(attachment);
    });
    const started = now();
    let thrown: unknown = undefined;
    let threw = false;
    const attempt = async (fn: () => unknown): Promise<void> => {
      if (threw) return;
      try {
        const result = fn();
        if (isNativePromise(result)) await result;
      } catch (error) {
        threw = true;
        thrown = error;
      }
    };
    for (const hook of entry.test.beforeEach) await attempt(hook);
    await attempt(entry.test.body);
    // afterEach hooks run even after a failure; their own failure is reported if the test had none.
    for (const hook of entry.test.afterEach) {
      const failedBefore = threw;
      const firstFailure = thrown;
      threw = false;
      await attempt(hook);
      if (failedBefore) {
        // The test's own failure is what the learner needs to see, not the cleanup's.
        threw = true;
        thrown = firstFailure;
      }
    }
    const tallyProblem = threw ? undefined : checkAssertionTally();
    const durationMs = Math.max(0, Math.round(now() - started));
    let outcome: TestOutcome;
    if (token !== runToken) outcome = { verdict: 'error', message: 'superseded by a later test', output: '', durationMs };
    else if (buffer.overflowed) {
      outcome = { verdict: 'output-limit', message: new OutputLimitError(buffer.limitBytes).message, output: buffer.text(), durationMs };
    } else if (threw) {
      // Thrown values are learner-controlled (a Proxy's traps can throw): classify defensively.
      let verdict: Verdict = 'error';
      try {
        if (isAssertionError(thrown)) verdict = 'failed';
      } catch {
        verdict = 'error';
      }
      const location = locateThrown(thrown, verdict === 'error');
      outcome = { verdict, message: describeThrown(thrown), ...(location === undefined ? {} : { location }), output: buffer.text(), durationMs };
    } else if (tallyProblem !== undefined) outcome = { verdict: 'failed', message: tallyProblem, output: buffer.text(), durationMs };
    else outcome = { verdict: 'passed', message: '', output: buffer.text(), durationMs };
    if (token !== runToken) return stringify(outcome);
    setAttachmentSink(null);
    if (attachments.length > 0) outcome.attachments = attachments;
    answer = stringify(outcome);
    return answer;
  }

  /** After the host stopped a test at its time limit: whether it flooded the console, and what it printed. */
  function interrupted(): string {
    return stringify({ overflowed: phase.overflowed, output: phase.text(), ...(answer === undefined ? {} : { answer }) } satisfies InterruptedTest);
  }

  return { collect, loadLearner, runTest, interrupted };
}

/**
 * Diagnostics for the exports a learner module lacks, one per missing name, naming the test
 * files that import it. Only those files' tests cannot run; when that is every test file the
 * run has, the diagnostic blocks the whole run.
 */
function missingExports(path: string, exports: ModuleExports, required: readonly RequiredExport[], runTestFiles: readonly string[]): Diagnostic[] {
  const has = (name: string): boolean => {
    try {
      return name in exports;
    } catch {
      return false;
    }
  };
  const missing = new Map<string, RequiredExport[]>();
  for (const entry of required) if (!has(entry.name)) missing.set(entry.name, [...(missing.get(entry.name) ?? []), entry]);
  const file = learnerFileName(path);
  return [...missing].map(([name, needs]) => {
    const importers = needs.map((n) => (n.via === undefined ? n.testFile : `${n.testFile} (through ${n.via})`));
    const testFiles = [...new Set(needs.map((n) => n.testFile))];
    const everything = runTestFiles.every((t) => testFiles.includes(t));
    return {
      kind: 'missing-export',
      file: path,
      message: `${file} does not export '${name}', which ${importers.join(' and ')} import${importers.length === 1 ? 's' : ''}. Export '${name}' from ${file} (same name) as the instructions describe.`,
      blocking: true,
      ...(everything ? {} : { testFiles }),
    } satisfies Diagnostic;
  });
}

/** A diagnostic for a learner module that threw while loading. */
function loadDiagnostic(path: string, error: unknown): Diagnostic {
  if (error instanceof ImportError) {
    return { kind: 'import', file: error.file, message: `${error.message}`, blocking: true };
  }
  const location = locateThrown(error, true);
  const [file, line] = location === undefined ? [path] : location.split(':');
  const isSyntax = error instanceof SyntaxError;
  const where = location ?? path;
  const message = isSyntax
    ? `Syntax error in ${where}: ${describeThrown(error)}. Fix the code there so it parses.`
    : `${where}: loading the module threw ${describeThrown(error)}. Code at the top level of a file runs on load; move it into a function.`;
  return {
    kind: isSyntax ? 'syntax' : 'load',
    file: file ?? path,
    ...(line === undefined ? {} : { line: Number(line) }),
    message,
    blocking: true,
  };
}
