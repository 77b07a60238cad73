/** The instructor's CLI, for end-to-end tests that compare the lab page with it. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** One submission's row in `virtlab grade --json`. */
export interface CliRow {
  student: string;
  error?: string;
  result?: { publicScore: number; publicMax: number; tests: { fullName: string; verdict: string; visibility: string }[] };
}

/**
 * Grades `path` (a submission file or a folder of them) with `virtlab grade --public-only`, in the
 * background: start it before driving the page, so neither waits for the other, and await it
 * when its rows are needed. (Its failure is not left unhandled if the page fails first.)
 */
export function gradePublicWithCli(labId: string, path: string): Promise<CliRow[]> {
  // One submission at a time: the page runs tests beside it, and a slow test must not meet its limit.
  const rows = execFileAsync(process.execPath, ['grader/cli/bin.mjs', 'grade', '--lab', labId, '--public-only', '--no-typecheck', '--concurrency', '1', '--json', '-', path], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }).then(({ stdout }) => (JSON.parse(stdout) as { rows: CliRow[] }).rows);
  rows.catch(() => {});
  return rows;
}
