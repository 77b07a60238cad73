/** `virtlab grade`: grade a batch of submissions and write the requested reports. */
import { SingleBar } from 'cli-progress';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gradeBatch, type BatchRow } from '../node/batch.ts';
import { Grader, GraderError } from '../node/grader.ts';
import { gradebookCsv, gradescopeError, gradescopeResults, instructorJson, studentReport } from '../node/reports.ts';
import { singleLine, uniqueFileStems } from '../node/safe-text.ts';
import { EXIT } from './exit-codes.ts';
import { loadLabForCli, readSubmissionsForCli } from './load-lab.ts';
import type { CliIo } from './main.ts';
import { summaryTable } from './table.ts';
import { compareRuns, compareText, readPreviousRun, type PreviousRun } from '../term/compare.ts';
import { deadlineFor, readCourse, type LabDeadline } from '../term/course.ts';
import { TermFileError } from '../term/csv.ts';
import { exportTerm, type ExportFormat } from '../term/exports.ts';
import { readRoster, type RosterStudent } from '../term/roster.ts';
import { readSubmissionTimes, type RecordedTime } from '../term/submitted-at.ts';
import { termJson, termSummary } from '../term/summary.ts';
import { termRows } from '../term/term-rows.ts';
import { graderVersion } from '../term/versions.ts';

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
  /** The class roster CSV, and its column names when they are not the usual ones. */
  roster?: string;
  rosterId?: string;
  rosterName?: string;
  rosterEmail?: string;
  /** The course file with due times and late policies. */
  course?: string;
  /** The LMS's export of submission times. */
  submittedAt?: string;
  /** The format of --csv. */
  format?: ExportFormat;
  /** A previous --json output to compare with. */
  compare?: string;
}

/** The term's files, read before any grading so a mistake in them stops the run at once. */
interface TermFiles {
  roster?: RosterStudent[];
  deadline?: LabDeadline;
  times?: RecordedTime[];
  previous?: PreviousRun;
}

async function readTermFiles(options: GradeOptions): Promise<TermFiles> {
  const files: TermFiles = {};
  if (options.roster !== undefined) {
    const columns = { ...(options.rosterId === undefined ? {} : { id: options.rosterId }), ...(options.rosterName === undefined ? {} : { name: options.rosterName }), ...(options.rosterEmail === undefined ? {} : { email: options.rosterEmail }) };
    files.roster = await readRoster(options.roster, columns);
  }
  if (options.course !== undefined) files.deadline = deadlineFor(await readCourse(options.course), options.lab, options.course);
  if (options.submittedAt !== undefined) files.times = await readSubmissionTimes(options.submittedAt);
  if (options.compare !== undefined) files.previous = await readPreviousRun(options.compare);
  return files;
}

async function writeOutput(target: string, text: string, io: CliIo): Promise<void> {
  if (target === '-') io.stdout.write(text);
  else await writeFile(target, text);
}

export async function runGrade(paths: readonly string[], options: GradeOptions, io: CliIo): Promise<number> {
  const lab = await loadLabForCli(options.labsDir, options.lab, io.stderr);
  if (typeof lab === 'number') return lab;
  let term: TermFiles;
  try {
    term = await readTermFiles(options);
  } catch (error) {
    if (error instanceof TermFileError) {
      io.stderr.write(`virtlab: ${singleLine(error.message)}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (term.deadline !== undefined && term.times === undefined) io.stderr.write('virtlab: warning: --course without --submitted-at: no submission has a trusted time, so no late penalty is applied (times inside submission files are never used).\n');
  const inputs = await readSubmissionsForCli(paths, lab.manifest, io.stderr);
  if (typeof inputs === 'number') return inputs;
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
  const summary = toStdout ? io.stderr : io.stdout;
  summary.write(summaryTable(rows));
  const termMode = term.roster !== undefined || term.deadline !== undefined || term.times !== undefined;
  const perStudent = termRows(rows, { ...(term.roster === undefined ? {} : { roster: term.roster }), ...(term.times === undefined ? {} : { times: term.times }), ...(term.deadline === undefined ? {} : { deadline: term.deadline }) });
  if (termMode) summary.write(termSummary(perStudent, { roster: term.roster !== undefined, course: term.deadline !== undefined }));
  const version = graderVersion();
  if (term.previous !== undefined) summary.write(`\n${compareText(term.previous, lab.manifest.version, version, compareRuns(term.previous, rows))}`);
  // One file name per row, never shared (two students' reports must not overwrite each other).
  const stems = uniqueFileStems(rows.map((row) => row.student));
  if (options.json !== undefined) {
    const json = JSON.parse(instructorJson(lab.manifest, rows, stems)) as Record<string, unknown>;
    const traced = { lab: json['lab'], labVersion: json['labVersion'], graderVersion: version, ...json, ...(termMode ? { term: termJson(perStudent) } : {}) };
    await writeOutput(options.json, `${JSON.stringify(traced, null, 2)}\n`, io);
  }
  if (options.csv !== undefined) await writeOutput(options.csv, options.format === undefined && !termMode ? gradebookCsv(rows) : exportTerm(options.format ?? 'csv', lab.manifest, perStudent), io);
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
