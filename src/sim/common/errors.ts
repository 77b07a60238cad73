/**
 * Errors the simulator throws at callers (learner code, tests, the grader).
 *
 * Every invalid API call throws a {@link SimError} whose `code` names the kind of mistake
 * and whose message says what was wrong and what to do. A fault *inside* a guest is never
 * thrown at the host program: it becomes a trap delivered to the guest.
 */

/** Machine-readable kinds of API misuse. */
export type SimErrorCode =
  | 'INVALID_ARGUMENT'
  | 'OUT_OF_RANGE'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'INVALID_STATE'
  | 'CAPACITY_EXCEEDED'
  | 'BUDGET_EXHAUSTED'
  | 'PERMISSION_DENIED'
  | 'ASSEMBLY_ERROR';

/** Thrown when the simulator's API is called incorrectly. */
export class SimError extends Error {
  /** What kind of mistake this was. */
  readonly code: SimErrorCode;

  constructor(code: SimErrorCode, message: string) {
    super(message);
    this.name = 'SimError';
    this.code = code;
  }
}

/** Throws a SimError with code INVALID_ARGUMENT unless `condition` holds. */
export function requireArgument(condition: boolean, message: string): asserts condition {
  if (!condition) throw new SimError('INVALID_ARGUMENT', message);
}
