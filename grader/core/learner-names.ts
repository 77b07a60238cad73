/**
 * The names learners know their files by. Inside the runtime the module registry calls them
 * `starter/consolidate.ts` (and stack traces say `virtlab:///starter/consolidate.ts`); learners
 * edit `consolidate.ts`. Results are renamed once, where they leave the core (scoring), so the
 * Node grader and the browser say the same thing.
 */
import { SOURCE_URL_PREFIX } from './registry.ts';
import type { Diagnostic, TestOutcome } from './types.ts';

/** The learner's name for a registry path: `consolidate.ts` for `starter/consolidate.ts`. */
export function learnerFileName(path: string): string {
  return path.replace(/^starter\//, '');
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A function that rewrites every mention of the lab's starter files to the learner's names. */
export function learnerNamer(starterFiles: readonly string[]): (text: string) => string {
  if (starterFiles.length === 0) return (text) => text;
  const alternatives = [...starterFiles].sort((a, b) => b.length - a.length).map(escape).join('|');
  // Not inside a longer path (labs/x/starter/a.ts stays as it is).
  const pattern = new RegExp(`(?<![\\w./-])(?:${escape(SOURCE_URL_PREFIX)})?starter/(${alternatives})(?![\\w/-])`, 'g');
  return (text) => text.replace(pattern, '$1');
}

/** A test outcome with the learner's file names in its message, location and output. */
export function renameOutcome(outcome: TestOutcome, rename: (text: string) => string): TestOutcome {
  const { location } = outcome;
  return { ...outcome, message: rename(outcome.message), output: rename(outcome.output), ...(location === undefined ? {} : { location: rename(location) }) };
}

/** A diagnostic with the learner's file names in its file and message. */
export function renameDiagnostic(diagnostic: Diagnostic, rename: (text: string) => string): Diagnostic {
  return { ...diagnostic, message: rename(diagnostic.message), ...(diagnostic.file === undefined ? {} : { file: rename(diagnostic.file) }) };
}
