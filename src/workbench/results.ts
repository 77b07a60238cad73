/** Renders a run's results for the learner: score, problems with their place, and each test. */
import type { GradeResult, TestResult } from '../../grader/core/types.ts';
import { element } from './dom.ts';

const VERDICT_TEXT: Record<TestResult['verdict'], string> = {
  passed: '✓ passed',
  failed: '✗ failed',
  error: '✗ error',
  timeout: '⏱ timed out',
  memory: '✗ out of memory',
  'output-limit': '✗ printed too much',
  crashed: '✗ crashed',
  'not-run': '– not run',
};


/** A type error the editor reports in one of the learner's files. */
export interface EditorProblem {
  file: string;
  line: number;
  column: number;
  /** TypeScript's error number (2322 for TS2322). */
  code: number;
  message: string;
}

export function renderResults(
  target: HTMLElement,
  result: GradeResult,
  hidden: { count: number; points: number },
  /** The type errors of the code that ran; null when type checking was still loading. */
  typeErrors: readonly EditorProblem[] | null = [],
): void {
  target.replaceChildren();
  const publicTests = result.tests.filter((test) => test.visibility === 'public');
  const passed = publicTests.filter((test) => test.verdict === 'passed').length;
  target.append(
    element('p', { class: 'summary-line' }, `Public score: ${result.publicScore} / ${result.publicMax} points — ${passed} of ${publicTests.length} public tests passed.`),
  );
  if (hidden.count > 0) {
    target.append(
      element('p', {}, `${hidden.count} hidden test${hidden.count === 1 ? '' : 's'} worth ${hidden.points} more points ${hidden.count === 1 ? 'runs' : 'run'} only when your instructor grades; their content is not shown.`),
    );
  }

  if (typeErrors === null) {
    target.append(element('p', { class: 'type-check-pending' }, 'Type checking was still loading, so this run lists no type errors; the next one will.'));
  } else if (typeErrors.length > 0) {
    // The grader reports type errors too and, like here, they cost no points: tests judge behaviour.
    const list = element('ul', { class: 'type-errors' });
    for (const problem of typeErrors) {
      const item = element('li', {}, `${problem.file}:${problem.line}:${problem.column}: ${problem.message} (TS${problem.code})`);
      Object.assign(item.dataset, { file: problem.file, line: String(problem.line), column: String(problem.column), code: String(problem.code) });
      list.append(item);
    }
    target.append(element('h3', {}, `Type errors (${typeErrors.length}) — they cost no points, but usually point at a bug`), list);
  }

  if (result.diagnostics.length > 0) {
    const list = element('ul', { class: 'diagnostics' });
    for (const diagnostic of result.diagnostics) {
      const where = diagnostic.file ? `${diagnostic.file}${diagnostic.line ? `:${diagnostic.line}${diagnostic.column ? `:${diagnostic.column}` : ''}` : ''}: ` : '';
      list.append(element('li', {}, `${diagnostic.blocking ? 'Error' : 'Note'} — ${where}${diagnostic.message}`));
    }
    target.append(element('h3', {}, 'Problems'), list);
  }

  const tests = element('ul', { class: 'tests' });
  for (const test of publicTests) {
    const item = element('li', { class: `test ${test.verdict === 'passed' ? 'passed' : 'failed'}` });
    item.dataset['verdict'] = test.verdict;
    item.append(element('p', {}, `${VERDICT_TEXT[test.verdict]} — ${test.fullName} (${test.score}/${test.points} point${test.points === 1 ? '' : 's'})`));
    if (test.message) item.append(element('pre', {}, test.location ? `${test.message}\n    at ${test.location}` : test.message));
    if (test.output) {
      const details = element('details');
      details.append(element('summary', {}, 'Console output'), element('pre', {}, test.output));
      item.append(details);
    }
    tests.append(item);
  }
  target.append(element('h3', {}, 'Public tests'), tests);
  if (result.loadOutput) {
    const details = element('details');
    details.append(element('summary', {}, 'Console output while loading your code'), element('pre', {}, result.loadOutput));
    target.append(details);
  }
}

/** What the results panel says while a run is under way: nothing of the previous run remains. */
export function renderRunning(target: HTMLElement): void {
  target.replaceChildren(element('p', { class: 'running' }, 'Running the public tests…'));
}

export function renderRunError(target: HTMLElement, error: unknown): void {
  target.replaceChildren(
    element('p', { class: 'summary-line' }, 'The tests could not be run.'),
    element('pre', {}, error instanceof Error ? error.message : String(error)),
    element('p', {}, 'Your code is saved. Reload the page and try again; if it keeps failing, download a submission and tell your instructor.'),
  );
}
