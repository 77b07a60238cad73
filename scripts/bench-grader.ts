/**
 * Grader benchmark (`npm run bench:grader`): grades 200 submissions of the grader's fixture lab
 * and prints figures; it asserts nothing. Goals on the 2-core course machine: ≥ 10 submissions/s,
 * sandbox overhead ≤ 2× running the same tests in-process, ≤ 128 MB per sandbox.
 *
 * Options (environment): VIRTLAB_BENCH_SUBMISSIONS (default 200), VIRTLAB_BENCH_CONCURRENCY
 * (default: CPU cores).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { SubmissionFiles } from '../grader/core/types.ts';
import { gradeBatch } from '../grader/node/batch.ts';
import { Grader } from '../grader/node/grader.ts';
import { loadLab } from '../grader/node/lab-loader.ts';

const COUNT = Number(process.env['VIRTLAB_BENCH_SUBMISSIONS'] ?? 200);
const CONCURRENCY = Number(process.env['VIRTLAB_BENCH_CONCURRENCY'] ?? availableParallelism());
const lab = await loadLab(join(import.meta.dirname, '..', 'grader/fixtures/labs/pack-vms'));

// A realistic mix: mostly working or nearly working code, some untouched starters.
const kinds: SubmissionFiles[] = [lab.solution, ...Object.values(lab.mutants), lab.starter];
const submissions = Array.from({ length: COUNT }, (_, i) => ({ ok: true as const, student: `s${i}`, source: 'bench', files: kinds[i % kinds.length] as SubmissionFiles }));
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);

async function timeBatch(options: ConstructorParameters<typeof Object>[0] & Parameters<typeof Grader.open>[1], inputs: typeof submissions): Promise<{ seconds: number; peaks: readonly number[] }> {
  const grader = await Grader.open(lab, options);
  try {
    // One warm-up submission so bundling and process start-up are not counted.
    await grader.grade(lab.solution);
    const started = performance.now();
    const rows = await gradeBatch(grader, inputs);
    const seconds = (performance.now() - started) / 1000;
    const failed = rows.filter((r) => r.status !== 'graded');
    if (failed.length > 0) throw new Error(`${failed.length} submissions were not graded: ${JSON.stringify(failed[0])}`);
    return { seconds, peaks: grader.peakMemories() };
  } finally {
    await grader.close();
  }
}

console.log(`Grading ${COUNT} submissions of lab ${lab.manifest.id} (${kinds.length} kinds), ${CONCURRENCY} at a time, on ${availableParallelism()} cores.\n`);

const sandboxed = await timeBatch({ isolation: 'sandbox', concurrency: CONCURRENCY, typecheck: false }, submissions);
console.log(`Sandboxed (a process + isolate each):  ${(COUNT / sandboxed.seconds).toFixed(1)} submissions/s  (${sandboxed.seconds.toFixed(2)} s)`);
const peaks = [...sandboxed.peaks].sort((a, b) => a - b);
console.log(`Peak memory per sandbox (RSS):         median ${mb(peaks[Math.floor(peaks.length / 2)] ?? 0)} MB, max ${mb(peaks[peaks.length - 1] ?? 0)} MB`);

const sequentialCount = Math.min(COUNT, 60);
const sequential = submissions.slice(0, sequentialCount);
const inProcess = await timeBatch({ isolation: 'in-process', concurrency: 1, typecheck: false }, sequential);
const sandboxOne = await timeBatch({ isolation: 'sandbox', concurrency: 1, typecheck: false }, sequential);
const perInProcess = (inProcess.seconds / sequentialCount) * 1000;
const perSandbox = (sandboxOne.seconds / sequentialCount) * 1000;
console.log(`\nOne at a time (${sequentialCount} submissions):`);
console.log(`  in-process, no sandbox (node:vm):    ${perInProcess.toFixed(1)} ms per submission`);
console.log(`  sandboxed:                           ${perSandbox.toFixed(1)} ms per submission`);
console.log(`  sandbox overhead:                    ${(perSandbox / perInProcess).toFixed(2)}×`);

const typechecked = await timeBatch({ isolation: 'sandbox', concurrency: CONCURRENCY, typecheck: true }, submissions.slice(0, sequentialCount));
console.log(`\nWith type-checking (the CLI default):  ${(sequentialCount / typechecked.seconds).toFixed(1)} submissions/s`);
