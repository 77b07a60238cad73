/** `virtlab grade`: grade a batch of submissions and write the requested reports. */
import { SingleBar } from 'cli-progress';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gradeBatch, type BatchRow } from '../node/batch.ts';
import { Grader, GraderError } from '../node/grader.ts';
import { gradebookCsv, gradescopeError, gradescopeResults, instructorJson, studentReport } from '../node/reports.ts';
import { singleLine, uniqueFileStems } from '../node/safe-text.ts';
import { InputError, readSubmissions } from '../node/submissions.ts';
import { EXIT } from './exit-codes.ts';
import { loadLabForCli } from './load-lab.ts';
import type { CliIo } from './main.ts';
import { summaryTable } from './table.ts';

/** Options of `virtlab grade` after parsing. */
export interface GradeOptions {
  lab: string;
  labsDir: string;
  concurrency: number;
  json?: string;
  csv?: string;
  gradescope?: string;
  reports?: string;
  publicOnly?: boolean;
  typecheck: boolean;
}

async function writeOutput(target: string, text: string, io: CliIo): Promise<void> {
  if (target === '-') io.stdout.write(text);
  else await writeFile(target, text);
}

export async function runGrade(paths: readonly string[], options: GradeOptions, io: CliIo): Promise<number> {
  const lab = await loadLabForCli(options.labsDir, options.lab, io.stderr);
  if (typeof lab === 'number') return lab;
  let inputs;
  try {
    inputs = await readSubmissions(paths, lab.manifest);
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr.write(`virtlab: ${singleLine(error.message)}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (inputs.length === 0) {
    io.stderr.write(`virtlab: no submissions found in ${paths.join(', ')} (looked for .ts and .json files).\n`);
    return EXIT.usage;
  }

  const grader = await Grader.open(lab, { concurrency: options.concurrency, includeHidden: options.publicOnly !== true, typecheck: options.typecheck });
  let rows: BatchRow[];
  try {
    // Grade the reference solution first: a lab whose tests do not load fails here, once,
    // instead of as an error row for every student.
    if (Object.keys(lab.solution).length > 0) {
      try {
        const reference = await grader.grade(lab.solution);
        if (reference.score < reference.maxScore) io.stderr.write(`virtlab: warning: the reference solution scores ${reference.score}/${reference.maxScore}; check the lab's tests.\n`);
      } catch (error) {
        if (error instanceof GraderError) {
          io.stderr.write(`virtlab: cannot grade lab ${lab.manifest.id}: ${error.message}\n`);
          return EXIT.labOrGrader;
        }
        throw error;
      }
    }
    const bar = io.stderr.isTTY === true ? new SingleBar({ stream: io.stderr, format: 'Grading [{bar}] {value}/{total} {student}', hideCursor: true, clearOnComplete: true }) : null;
    bar?.start(inputs.length, 0, { student: '' });
    rows = await gradeBatch(grader, inputs, (row, done) => bar?.update(done, { student: singleLine(row.student) }));
    bar?.stop();
  } finally {
    await grader.close();
  }

  const toStdout = [options.json, options.csv, options.gradescope].includes('-');
  (toStdout ? io.stderr : io.stdout).write(summaryTable(rows));
  // One file name per row, never shared (two students' reports must not overwrite each other).
  const stems = uniqueFileStems(rows.map((row) => row.student));
  if (options.json !== undefined) await writeOutput(options.json, instructorJson(lab.manifest, rows, stems), io);
  if (options.csv !== undefined) await writeOutput(options.csv, gradebookCsv(rows), io);
  if (options.gradescope !== undefined) {
    const results = rows.map((row) => (row.status === 'graded' ? gradescopeResults(lab.manifest, row.result) : gradescopeError(row.error)));
    if (rows.length === 1 || options.gradescope === '-') await writeOutput(options.gradescope, `${JSON.stringify(rows.length === 1 ? results[0] : results, null, 2)}\n`, io);
    else {
      await mkdir(options.gradescope, { recursive: true });
      await Promise.all(rows.map((row, i) => writeFile(join(options.gradescope as string, `${stems[i]}.json`), `${JSON.stringify(results[i], null, 2)}\n`)));
    }
  }
  if (options.reports !== undefined) {
    await mkdir(options.reports, { recursive: true });
    await Promise.all(rows.map((row, i) => writeFile(join(options.reports as string, `${stems[i]}.txt`), studentReport(lab.manifest, row))));
  }
  return rows.some((r) => r.status === 'error') ? EXIT.someUngraded : EXIT.ok;
}
