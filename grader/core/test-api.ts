/**
 * `@virtlab/test`: the describe/test/expect API lab tests are written with.
 *
 * ```ts
 * import { describe, test, expect } from '@virtlab/test';
 * describe('placement', () => {
 *   test('fits every server', { points: 2, timeoutMs: 1000 }, () => {
 *     expect(placeServers(fleet).hosts.length).toBeLessThanOrEqual(3);
 *   });
 * });
 * ```
 * A test passes when its body returns (or its promise resolves) without throwing, within its
 * time limit. Whether a test is public or hidden follows from its file (`tests/public.ts` or
 * `tests/hidden.ts`).
 */
import { expect } from './expect.ts';

export { expect };
export type { LabExpect } from './expect.ts';

/** Per-test settings. */
export interface TestOptions {
  /** Points the test is worth when it passes (whole number, default 1). */
  points?: number;
  /** Time limit in milliseconds (default: the harness default, at most the lab's `limits.timeMs`). */
  timeoutMs?: number;
}

/** A test body; may be async. */
export type TestBody = () => unknown;

/** A hook run before or after each test of the enclosing `describe` (or file). */
export type Hook = () => unknown;

/** A test as declared by a test file. */
export interface DeclaredTest {
  name: string;
  fullName: string;
  points: number;
  timeoutMs: number | undefined;
  body: TestBody;
  beforeEach: readonly Hook[];
  afterEach: readonly Hook[];
}

interface Scope {
  names: string[];
  beforeEach: Hook[];
  afterEach: Hook[];
}

/** Collects the tests one test file declares. */
export class TestCollector {
  readonly tests: DeclaredTest[] = [];
  #scopes: Scope[] = [{ names: [], beforeEach: [], afterEach: [] }];

  get #scope(): Scope {
    return this.#scopes[this.#scopes.length - 1] as Scope;
  }

  describe(name: string, body: () => void): void {
    requireName('describe', name);
    if (typeof body !== 'function') throw new TypeError(`describe('${name}', ...) needs a function as its second argument`);
    const parent = this.#scope;
    this.#scopes.push({ names: [...parent.names, name], beforeEach: [...parent.beforeEach], afterEach: [...parent.afterEach] });
    try {
      const result: unknown = body();
      if (result instanceof Promise) throw new TypeError(`describe('${name}', ...) must not be async: declare tests synchronously and put awaits inside test()`);
    } finally {
      this.#scopes.pop();
    }
  }

  test(name: string, optionsOrBody: TestOptions | TestBody, maybeBody?: TestBody): void {
    requireName('test', name);
    const options: TestOptions = typeof optionsOrBody === 'function' ? {} : optionsOrBody;
    const body = typeof optionsOrBody === 'function' ? optionsOrBody : maybeBody;
    if (typeof body !== 'function') throw new TypeError(`test('${name}', ...) needs a function as its last argument`);
    if (options === null || typeof options !== 'object') throw new TypeError(`test('${name}', options, fn): options must be an object like { points: 2 }`);
    const points = options.points ?? 1;
    if (!Number.isInteger(points) || points < 0) throw new TypeError(`test('${name}'): points must be a whole number ≥ 0, got ${String(points)}`);
    const timeoutMs = options.timeoutMs;
    if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs <= 0)) {
      throw new TypeError(`test('${name}'): timeoutMs must be a positive whole number of milliseconds, got ${String(timeoutMs)}`);
    }
    const scope = this.#scope;
    const fullName = [...scope.names, name].join(' › ');
    if (this.tests.some((t) => t.fullName === fullName)) throw new TypeError(`Two tests are named "${fullName}"; test names must be unique within a lab`);
    this.tests.push({ name, fullName, points, timeoutMs, body, beforeEach: [...scope.beforeEach], afterEach: [...scope.afterEach] });
  }

  hook(kind: 'beforeEach' | 'afterEach', hook: Hook): void {
    if (typeof hook !== 'function') throw new TypeError(`${kind}(...) needs a function`);
    this.#scope[kind].push(hook);
  }
}

function requireName(kind: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.trim() === '') throw new TypeError(`${kind}(name, ...) needs a non-empty string as its name`);
}

let active: TestCollector | null = null;

function collector(kind: string): TestCollector {
  if (active === null) throw new Error(`${kind}() can only be called while a test file is loaded, at its top level or inside describe()`);
  return active;
}

/**
 * Makes `collector` receive the declarations of the test file loaded while `load` runs.
 * Harness-internal: not part of the API test files see.
 */
export function collectTests(target: TestCollector, load: () => void): void {
  active = target;
  try {
    load();
  } finally {
    active = null;
  }
}

/** Groups tests; its name prefixes theirs. The body runs at once and must be synchronous. */
export function describe(name: string, body: () => void): void {
  collector('describe').describe(name, body);
}

/** Declares a test worth `options.points` (default 1). */
export function test(name: string, body: TestBody): void;
export function test(name: string, options: TestOptions, body: TestBody): void;
export function test(name: string, optionsOrBody: TestOptions | TestBody, maybeBody?: TestBody): void {
  collector('test').test(name, optionsOrBody, maybeBody);
}

const { parse, stringify } = JSON;

/** Most bytes (as JSON) one test may attach in all; pictures need summaries, not dumps. */
export const ATTACHMENT_LIMIT_BYTES = 64 * 1024;

let attachmentSink: ((attachment: { name: string; data: unknown }) => void) | null = null;

/**
 * Receives `attach` calls while a test runs. Harness-internal: not part of the API test files see.
 */
export function setAttachmentSink(sink: ((attachment: { name: string; data: unknown }) => void) | null): void {
  attachmentSink = sink;
}

/**
 * Records data for the lab's picture in the workbench (e.g. the simulator's event trace).
 * The data is copied as JSON at once (data that JSON cannot copy is an error in the test); past
 * {@link ATTACHMENT_LIMIT_BYTES} per test it is dropped with a note, never failing the test.
 * Only test files can call it (learner files cannot import `@virtlab/test`).
 */
export function attach(name: string, data: unknown): void {
  if (typeof name !== 'string' || name === '') throw new TypeError('attach(name, data) needs a non-empty name');
  if (attachmentSink === null) throw new Error('attach() can only be called while a test runs');
  const text: unknown = stringify(data);
  if (typeof text !== 'string') throw new TypeError(`attach('${name}', data): data must be JSON (arrays, objects, strings, numbers)`);
  attachmentSink({ name, data: parse(text) as unknown });
}

/**
 * A plain-data copy of `value` (via JSON): arrays, objects, strings, numbers, booleans, null.
 * Check what learner code returns through `plain(...)`: a Proxy or a getter could otherwise
 * answer one way to one matcher and another way to the next; the copy is fixed once made.
 */
export function plain<T>(value: T): T {
  const text: unknown = stringify(value);
  if (typeof text !== 'string') throw new TypeError(`expected plain data (arrays, objects, strings, numbers), got ${typeof value}`);
  return parse(text) as T;
}

/** Alias of {@link test}. */
export const it = test;

/** Runs `hook` before each test in the enclosing describe (or the whole file). */
export function beforeEach(hook: Hook): void {
  collector('beforeEach').hook('beforeEach', hook);
}

/** Runs `hook` after each test in the enclosing describe (or the whole file), even a failed one. */
export function afterEach(hook: Hook): void {
  collector('afterEach').hook('afterEach', hook);
}
