/** `virtlab similarity`: pairs of submissions that share unusual code, as HTML and CSV reports. */
import { InvalidArgumentError, type Command } from 'commander';
import { resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { EXIT } from '../cli/exit-codes.ts';
import { loadLabForCli, readSubmissionsForCli } from '../cli/load-lab.ts';
import type { CliIo } from '../cli/main.ts';
import { singleLine } from '../node/safe-text.ts';
import { comparePairs, editableText, type SimilarityInput } from './compare.ts';
import { similarityCsv, similarityHtml } from './report.ts';

/**
 * Pairs at or above this similarity are flagged. A copy with renamed variables scores about 1 and
 * one with its functions reordered well above 0.6, while the labs' independent correct solutions
 * share 0.09–0.28 of their fingerprints (same API, same problem): 0.5 sits between, with room.
 */
export const DEFAULT_THRESHOLD = 0.5;

export interface SimilarityOptions {
  lab: string;
  labsDir: string;
  html?: string;
  csv?: string;
  threshold: number;
  /** Ignore fingerprints found in more than this share of the submissions. */
  common?: number;
}

export async function runSimilarity(paths: readonly string[], options: SimilarityOptions, io: CliIo): Promise<number> {
  const lab = await loadLabForCli(options.labsDir, options.lab, io.stderr);
  if (typeof lab === 'number') return lab;
  const read = await readSubmissionsForCli(paths, lab.manifest, io.stderr);
  if (typeof read === 'number') return read;
  const inputs: SimilarityInput[] = [];
  for (const input of read) {
    if (!input.ok) io.stderr.write(`virtlab: skipped ${singleLine(input.source)}: ${singleLine(input.error)}\n`);
    else inputs.push({ student: input.student, source: input.source, text: editableText(lab.manifest, input.files) });
  }
  if (inputs.length < 2) {
    io.stderr.write(`virtlab: similarity needs at least two readable submissions; found ${inputs.length} in ${paths.join(', ')}.\n`);
    return EXIT.usage;
  }
  const pairs = comparePairs(inputs, editableText(lab.manifest, lab.starter), options.common);
  const flagged = pairs.filter((p) => p.similarity >= options.threshold);
  io.stdout.write(`${pairs.length} pairs compared, ${flagged.length} at or above ${options.threshold}:\n`);
  for (const p of flagged) io.stdout.write(`  ${(p.similarity * 100).toFixed(1).padStart(5)} %  ${singleLine(p.left.student)}  ${singleLine(p.right.student)}\n`);
  if (options.html !== undefined) await writeFile(options.html, similarityHtml(lab.manifest.title, pairs, options.threshold));
  if (options.csv !== undefined) {
    const csv = similarityCsv(pairs, options.threshold);
    if (options.csv === '-') io.stdout.write(csv);
    else await writeFile(options.csv, csv);
  }
  return read.some((r) => !r.ok) ? EXIT.someUngraded : EXIT.ok;
}

/** The `--threshold` and `--common` options: a fraction in [0, 1]. */
export function parseThreshold(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed > 1) throw new InvalidArgumentError('must be a fraction from 0 to 1, e.g. 0.5');
  return parsed;
}

/** Adds the `similarity` subcommand to the `virtlab` program; `done` receives its exit code. */
export function registerSimilarity(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('similarity')
    .description('Find pairs of submissions that share unusual code (starter code excluded); HTML and CSV reports')
    .requiredOption('--lab <id>', 'the lab the submissions are for')
    .argument('<paths...>', 'submission files or folders (searched recursively)')
    .option('--labs-dir <dir>', 'where the labs are', 'labs')
    .option('--html <file>', 'write the HTML report (flagged pairs, shared fragments side by side)')
    .option('--csv <file>', "write every pair as CSV ('-' for stdout)")
    .option('--common <fraction>', 'ignore code found in more than this share of the submissions (default: none ignored but the starter)', parseThreshold)
    .option('--threshold <fraction>', `flag pairs at or above this similarity (default ${DEFAULT_THRESHOLD})`, parseThreshold, DEFAULT_THRESHOLD)
    .action(async (paths: string[], options) => {
      done(await runSimilarity(paths, { ...options, labsDir: resolve(options.labsDir) }, io));
    });
}
