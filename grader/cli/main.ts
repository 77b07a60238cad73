/**
 * `virtlab`: the instructor's command line.
 *   virtlab grade --lab <id> <file|dir>...   grade submissions
 *   virtlab labs                             list labs and their points
 *   virtlab package --lab <id> --target gradescope|github-classroom|prairielearn
 * See grader/README.md for options, formats and exit codes.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { EXIT } from './exit-codes.ts';
import { runGrade } from './grade-command.ts';
import { runLabs } from './labs-command.ts';
import { runPackage } from './package-command.ts';
import { singleLine } from '../node/safe-text.ts';
import { EXPORT_FORMATS } from '../term/exports.ts';
import { registerSimilarity } from '../similarity/command.ts';

/** Where the CLI writes; replaceable in tests. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return parsed;
}

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('virtlab')
    .description('Grade virtlab labs: run public and hidden tests in a sandbox, report scores.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run virtlab --help for usage)');

  program
    .command('grade')
    .description('Grade submissions: learner .ts files, submission .json files, or folders of them')
    .requiredOption('--lab <id>', 'the lab to grade (a folder name under --labs-dir)')
    .argument('<paths...>', 'submission files or folders (searched recursively)')
    .option('--labs-dir <dir>', 'where the labs are', 'labs')
    .option('--concurrency <n>', 'submissions graded at once (default: number of CPU cores)', positiveInteger)
    .option('--json <file>', "write every result, hidden tests' output included, as JSON ('-' for stdout)")
    .option('--csv <file>', "write a gradebook CSV an LMS can import ('-' for stdout)")
    .option('--gradescope <path>', "write Gradescope results.json (a file for one submission, else a folder of <student>.json)")
    .option('--reports <dir>', "write one plain-text report per student (hidden tests' details removed unless the lab shows them)")
    .option('--public-only', 'run only the public tests (as the browser does)')
    .option('--no-typecheck', 'skip type-checking (type errors are reported but never cost points)')
    .option('--roster <csv>', 'the class roster (columns id, name, email): lists graded, missing, unknown and duplicate submissions')
    .option('--roster-id <column>', "the roster's id column, when it is not named id, student_id, sis user id, id number, username or login")
    .option('--roster-name <column>', "the roster's name column, when it is not named name, student or full name")
    .option('--roster-email <column>', "the roster's email column, when it is not named email or email address")
    .option('--course <file>', "the course file (due times, grace, late policy, extensions) for the late penalty")
    .option('--submitted-at <csv>', "the LMS's export of submission times (never a time inside a submission file)")
    .addOption(new Option('--format <format>', 'what --csv writes: csv (every detail), canvas (Canvas gradebook) or moodle (Moodle grade import)').choices([...EXPORT_FORMATS]))
    .option('--compare <json>', 'a previous --json output: print per student the score change and the tests that changed verdict')
    .action(async (paths: string[], options) => {
      exitCode = await runGrade(paths, { ...options, labsDir: resolve(options.labsDir), concurrency: options.concurrency ?? availableParallelism() }, io);
    });

  program
    .command('labs')
    .description('List the labs and their points')
    .option('--labs-dir <dir>', 'where the labs are', 'labs')
    .action(async (options) => {
      exitCode = await runLabs(resolve(options.labsDir), io);
    });

  program
    .command('package')
    .description('Package a lab for an autograding service (the output contains hidden tests and the solution: keep it private)')
    .requiredOption('--lab <id>', 'the lab to package')
    .requiredOption('--target <target>', 'gradescope (an autograder zip), github-classroom (a workflow and its files) or prairielearn (a question with an external grader)')
    .option('--labs-dir <dir>', 'where the labs are', 'labs')
    .option('--out <path>', 'output file (gradescope) or folder (github-classroom, prairielearn); default under dist-grader/')
    .option('--include-hidden', 'github-classroom only: also ship the hidden tests (students will be able to read them)')
    .action(async (options) => {
      exitCode = await runPackage({ lab: options.lab, target: options.target, labsDir: resolve(options.labsDir), out: options.out, includeHidden: options.includeHidden === true }, io);
    });

  registerSimilarity(program, io, (code) => {
    exitCode = code;
  });

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    io.stderr.write(`virtlab: ${singleLine(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT.labOrGrader;
  }
}
