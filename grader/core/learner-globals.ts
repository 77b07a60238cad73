/**
 * The globals learner code may use beyond ECMAScript, as TypeScript declarations. The runtime
 * gives learner code a capturing `console` (grader/core/output.ts) and nothing else from the host (no DOM, no Node), so
 * the grader's type check (grader/node/typecheck.ts) and the site's editor both add exactly this
 * file: the same code gets the same type errors in both.
 */
export const LEARNER_GLOBALS_FILE = 'virtlab-globals.d.ts';

export const LEARNER_GLOBALS_DECLARATIONS = `declare const console: {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  debug(...data: unknown[]): void;
  trace(...data: unknown[]): void;
  dir(...data: unknown[]): void;
  table(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  assert(condition: unknown, ...data: unknown[]): void;
  group(...data: unknown[]): void;
  groupEnd(): void;
  time(label?: string): void;
  timeEnd(label?: string): void;
  count(label?: string): void;
};
`;
