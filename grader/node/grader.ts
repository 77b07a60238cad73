/**
 * The Node grading API: open a lab once, grade many submissions (in sandbox processes, in
 * parallel), close. The CLI, the packaged autograders and the benchmark all go through this.
 */
import { availableParallelism } from 'node:os';
import { driveRun, type Launch } from '../core/driver.ts';
import { buildRunRequest, requiredExportsOf } from '../core/run-request.ts';
import { scoreRun } from '../core/scoring.ts';
import type { RequiredExports } from '../core/test-imports.ts';
import type { Diagnostic, GradeResult, SubmissionFiles } from '../core/types.ts';
import { bundleHarness, harnessCodeCache, prepareSandboxFiles, type SandboxFiles } from './bundle.ts';
import { launchInProcess } from './in-process.ts';
import type { LoadedLab } from './lab-loader.ts';
import { SandboxPool } from './sandbox.ts';
import type { Typechecker } from './typecheck.ts';

/** How to grade. */
export interface GraderOptions {
  /** Submissions graded at once (default: the number of CPU cores). */
  concurrency?: number;
  /** `sandbox` (default): one locked-down process per submission. `in-process`: trusted code only. */
  isolation?: 'sandbox' | 'in-process';
  /** Run the hidden tests (default true). */
  includeHidden?: boolean;
  /** Type-check submissions with TypeScript and report errors (default true; they cost no points). */
  typecheck?: boolean;
  /**
   * Stop at the first test that does not pass (default false): the rest are `not-run`. For checks
   * that only ask whether a submission loses points, such as the project's tests of mutants.
   */
  stopAtFirstFailure?: boolean;
  /** Prebuilt sandbox files (a packaged autograder); default: bundle now with esbuild. */
  sandboxFiles?: SandboxFiles;
}

type ResolvedOptions = Required<Omit<GraderOptions, 'sandboxFiles'>>;

/** Grades submissions of one lab. */
export class Grader {
  readonly lab: LoadedLab;
  readonly concurrency: number;
  readonly #options: ResolvedOptions;
  readonly #requiredExports: RequiredExports;
  readonly #files: SandboxFiles | null;
  readonly #harness: string;
  readonly #pool: SandboxPool | null;
  readonly #typechecker: Typechecker | null;

  private constructor(lab: LoadedLab, options: ResolvedOptions, harness: string, files: SandboxFiles | null, typechecker: Typechecker | null) {
    this.lab = lab;
    this.#options = options;
    this.concurrency = options.concurrency;
    this.#requiredExports = requiredExportsOf(lab, options.includeHidden);
    this.#harness = harness;
    this.#files = files;
    this.#pool = files === null ? null : new SandboxPool(files, { warm: options.concurrency, memoryMb: lab.manifest.limits.memoryMb });
    this.#typechecker = typechecker;
  }

  /** Bundles the harness (once) and starts the sandbox pool. */
  static async open(lab: LoadedLab, options: GraderOptions = {}): Promise<Grader> {
    const resolved: ResolvedOptions = {
      concurrency: Math.max(1, options.concurrency ?? availableParallelism()),
      isolation: options.isolation ?? 'sandbox',
      includeHidden: options.includeHidden ?? true,
      typecheck: options.typecheck ?? true,
      stopAtFirstFailure: options.stopAtFirstFailure ?? false,
    };
    // TypeScript is large and only needed for diagnostics: load it only when asked for.
    // The specifier is computed so bundlers leave it alone: a packaged autograder ships without TypeScript.
    const typecheckModule = new URL('./typecheck.ts', import.meta.url).href;
    const typechecker = resolved.typecheck ? new ((await import(typecheckModule)) as typeof import('./typecheck.ts')).Typechecker(lab) : null;
    if (resolved.isolation === 'in-process') {
      return new Grader(lab, resolved, options.sandboxFiles?.harness ?? (await bundleHarness()), null, typechecker);
    }
    const files = options.sandboxFiles ?? (await prepareSandboxFiles());
    files.harnessCache ??= await harnessCodeCache(files);
    return new Grader(lab, resolved, files.harness, files, typechecker);
  }

  /** Grades one submission's files (keyed by path inside `starter/`). Never throws for learner mistakes. */
  async grade(files: SubmissionFiles): Promise<GradeResult> {
    const started = performance.now();
    const { manifest } = this.lab;
    const { request, notes } = buildRunRequest(this.lab, files, { includeHidden: this.#options.includeHidden, requiredExports: this.#requiredExports });
    const typeDiagnostics: Diagnostic[] = this.#typechecker?.check(files) ?? [];
    const pool = this.#pool;
    const launch: Launch =
      pool === null
        ? (resume, onEvent) => launchInProcess(this.#harness, request, resume, onEvent)
        : (resume, onEvent) => pool.launch(request, resume, onEvent);
    const run = await driveRun(launch, {
      limits: manifest.limits,
      graceMs: 1500,
      startupMs: 15_000,
      stopAtFirstFailure: this.#options.stopAtFirstFailure,
      now: () => performance.now(),
      setTimer: (callback, ms) => setTimeout(callback, ms),
      clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
    });
    if (run.problem !== undefined) throw new GraderError(run.problem);
    const result = scoreRun(manifest, run, [...notes, ...typeDiagnostics], performance.now() - started);
    if (run.peakMemoryBytes !== undefined) this.#peaks.push(run.peakMemoryBytes);
    return result;
  }

  readonly #peaks: number[] = [];

  /** Peak memory of each sandbox so far, in bytes (sandbox isolation only). */
  peakMemories(): readonly number[] {
    return this.#peaks;
  }

  /** Stops the sandbox processes and removes temporary files. */
  async close(): Promise<void> {
    await this.#pool?.close();
    await this.#files?.dispose();
  }
}

/** A failure of the grader or the lab, not of the submission (e.g. lab tests that do not load). */
export class GraderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraderError';
  }
}
