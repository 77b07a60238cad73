/**
 * `npm run mutation [-- --lab <id>]`: mutation testing of each lab's reference solution against
 * the lab's full test suite (public and hidden), through the real grader.
 *
 * StrykerJS makes the mutants of `labs/<id>/solution/<editable files>`; the test-runner plugin in
 * grader-test-runner.ts grades each one in the grader's sandbox. This script then sets aside the
 * equivalent mutants listed in `labs/<id>/mutation-equivalents.md`, prints the counts, the score
 * and every survivor, writes an HTML report to `reports/mutation/<id>/index.html`, and exits 1 if
 * a lab scores below the threshold (2 for bad usage or a malformed equivalents file).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Stryker } from '@stryker-mutator/core';
import type { LogLevel, MutantResult, PartialStrykerOptions } from '@stryker-mutator/api/core';
import { listLabIds, loadLab } from '../../grader/node/lab-loader.ts';
import { originalText, type Location } from './apply-mutant.ts';
import { EquivalentsError, matchEquivalents, parseEquivalents, type Equivalent } from './equivalents.ts';
import type { VirtlabRunnerOptions } from './grader-test-runner.ts';
import { reportDocument, reportHtml } from './html-report.ts';
import { formatSummary, summarize, type GradedMutant, type LabSummary } from './summary.ts';

/** The lowest acceptable share of non-equivalent mutants killed, in percent. */
const THRESHOLD = 95;
const root = resolve(import.meta.dirname, '../..');
const labsDir = join(root, 'labs');
const reportsDir = join(root, 'reports/mutation');

function strykerOptions(labId: string, editable: readonly string[], virtlab: VirtlabRunnerOptions): PartialStrykerOptions & { virtlab: VirtlabRunnerOptions } {
  return {
    mutate: editable.map((path) => `labs/${labId}/solution/${path}`),
    testRunner: 'virtlab-grader',
    appendPlugins: [join(import.meta.dirname, 'grader-test-runner.ts')],
    // The runner grades the original sources, so Stryker's sandbox copy needs only the lab.
    ignorePatterns: ['/*', '!/labs', '/labs/*', `!/labs/${labId}`],
    // One folder per run: Stryker deletes it at the end, and two runs may overlap.
    tempDirName: `reports/mutation/.stryker-tmp-${labId}-${process.pid}`,
    // The grader has no per-test coverage: every mutant is graded (see the runner for the order).
    coverageAnalysis: 'off',
    // One worker per core, each grading one mutant at a time in its own sandbox process.
    concurrency: availableParallelism(),
    // The grader enforces the lab's own time limits and reports `timeout` itself; Stryker's
    // timer is only a last resort for a grader that hangs, so a busy machine cannot decide a verdict.
    timeoutMS: 30 * 60_000,
    timeoutFactor: 1,
    reporters: ['progress-append-only'],
    // LogLevel is a const enum, which type stripping cannot read: its values, typed.
    logLevel: 'warn' as LogLevel,
    fileLogLevel: 'off' as LogLevel,
    cleanTempDir: true,
    virtlab,
  };
}

/** Stryker's result for one mutant, with the source text the report and the equivalents need. */
function graded(result: MutantResult, solutionDir: string, sources: Readonly<Record<string, string>>): GradedMutant {
  const file = relative(solutionDir, resolve(root, result.fileName)).split('\\').join('/');
  const source = sources[file] ?? '';
  // Stryker reports positions as its report schema does, 1-based; ours are 0-based like its test runners'.
  const { start, end } = result.location;
  const location: Location = { start: { line: start.line - 1, column: start.column - 1 }, end: { line: end.line - 1, column: end.column - 1 } };
  return {
    id: result.id, file, mutator: result.mutatorName, location,
    line: source.split('\n')[location.start.line] ?? '',
    original: originalText(source, location),
    replacement: result.replacement,
    status: result.status, statusReason: result.statusReason, killedBy: result.killedBy,
  };
}

/** The lab's equivalent mutants as listed in its mutation-equivalents.md (none without the file). */
async function equivalentsOf(labDir: string): Promise<Equivalent[]> {
  const path = join(labDir, 'mutation-equivalents.md');
  return existsSync(path) ? parseEquivalents(await readFile(path, 'utf8'), relative(root, path)) : [];
}

/** Writes reports/mutation/<id>/mutation.json and index.html. */
async function writeReports(summary: LabSummary, sources: Readonly<Record<string, string>>): Promise<void> {
  const out = join(reportsDir, summary.lab);
  await mkdir(out, { recursive: true });
  const document = reportDocument(summary, sources, THRESHOLD);
  await writeFile(join(out, 'mutation.json'), JSON.stringify(document, null, 2));
  await writeFile(join(out, 'index.html'), await reportHtml(`Mutation testing: ${summary.lab}`, document));
}

async function mutateLab(labId: string): Promise<LabSummary> {
  const labDir = join(labsDir, labId);
  const lab = await loadLab(labDir);
  const editable = lab.manifest.files.filter((file) => file.editable && lab.solution[file.path] !== undefined).map((file) => file.path);
  const sources = Object.fromEntries(editable.map((path) => [path, lab.solution[path] as string]));
  const entries = await equivalentsOf(labDir);

  const started = performance.now();
  const results = await new Stryker(strykerOptions(labId, editable, { labDir, projectRoot: root })).runMutationTest();
  const seconds = (performance.now() - started) / 1000;

  const mutants = results.map((result) => graded(result, join(labDir, 'solution'), sources))
    .sort((a, b) => a.file.localeCompare(b.file) || a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
  const { equivalent, stale } = matchEquivalents(entries, mutants);
  const summary = summarize(labId, mutants, equivalent, stale, seconds);
  await writeReports(summary, sources);
  return summary;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { lab: { type: 'string', multiple: true }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log('usage: npm run mutation [-- --lab <id> [--lab <id> …]]   (default: every lab)');
    return 0;
  }
  const known = await listLabIds(labsDir);
  const labs = values.lab ?? known;
  const unknown = labs.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    console.error(`unknown lab ${unknown.join(', ')}; the labs are ${known.join(', ')}`);
    return 2;
  }
  const summaries: LabSummary[] = [];
  for (const id of labs) {
    console.error(`mutation testing ${id} …`);
    const summary = await mutateLab(id);
    summaries.push(summary);
    console.log(formatSummary(summary, THRESHOLD));
    console.log(`  report: ${relative(process.cwd(), join(reportsDir, id, 'index.html'))}\n`);
  }
  const failing = summaries.filter((summary) => summary.score < THRESHOLD);
  for (const summary of failing) console.error(`${summary.lab}: ${summary.score.toFixed(1)}% of mutants killed, ${(THRESHOLD - summary.score).toFixed(1)} points below ${THRESHOLD}%`);
  return failing.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof EquivalentsError ? error.message : error);
    process.exit(2);
  },
);
