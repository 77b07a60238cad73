/** Exit codes of the `virtlab` command (documented in grader/README.md). */
export const EXIT = {
  /** Every submission was graded (whatever the scores). */
  ok: 0,
  /** At least one submission could not be graded (malformed, oversized, wrong lab, stale version). */
  someUngraded: 1,
  /** Bad usage: unknown option, missing argument, a path that does not exist, no submissions found. */
  usage: 2,
  /** The lab or the grader itself is broken (invalid lab.json, tests that do not load, sandbox that does not start). */
  labOrGrader: 3,
} as const;
