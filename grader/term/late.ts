/** Late-policy arithmetic: from a trusted submission time and a lab's deadline to the penalty. */
import type { LabDeadline } from './course.ts';

const UNIT_MS = { day: 86_400_000, hour: 3_600_000 } as const;

/** How lateness changed a score. */
export interface LateOutcome {
  /** The due time that applied (the student's extension, if any), ISO. */
  due: string;
  /** Milliseconds past that due time (0 when on time); grace is not subtracted. */
  lateMs: number;
  /** Started days or hours late, counted from the due time; 0 when within grace. */
  unitsLate: number;
  /** Percent of the raw score taken. */
  penaltyPercent: number;
  rawScore: number;
  penalty: number;
  finalScore: number;
  /** One line for reports: "on time", "2 days late: −20%", "4 days late: past the 3-day cap, 0". */
  note: string;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * Applies `deadline` to a submission made at `submittedAt` (ms since epoch). On time up to and
 * including due + grace; after that each started unit past the due time costs `percent` of the
 * raw score; more than `maxUnits` units late scores 0. Without a late policy, late work scores 0.
 */
export function applyLatePolicy(deadline: LabDeadline, studentId: string | null, submittedAt: number, rawScore: number): LateOutcome {
  const extension = studentId === null ? undefined : Object.entries(deadline.extensions).find(([id]) => id.toLowerCase() === studentId.toLowerCase())?.[1];
  const due = extension ?? deadline.due;
  const dueMs = Date.parse(due);
  const lateMs = Math.max(0, submittedAt - dueMs);
  const onTime = submittedAt <= dueMs + deadline.graceMinutes * 60_000;
  const result = (unitsLate: number, penaltyPercent: number, note: string): LateOutcome => {
    const penalty = round2((rawScore * penaltyPercent) / 100);
    return { due: new Date(dueMs).toISOString(), lateMs, unitsLate, penaltyPercent, rawScore, penalty, finalScore: round2(rawScore - penalty), note };
  };
  if (onTime) return result(0, 0, lateMs === 0 ? 'on time' : 'on time (within the grace period)');
  const policy = deadline.late;
  if (policy === undefined) return result(0, 100, 'late, and this lab accepts no late work: 0');
  const unitsLate = Math.ceil(lateMs / UNIT_MS[policy.per]);
  const units = `${unitsLate} ${policy.per}${unitsLate === 1 ? '' : 's'} late`;
  if (policy.maxUnits !== undefined && unitsLate > policy.maxUnits) return result(unitsLate, 100, `${units}: past the ${policy.maxUnits}-${policy.per} limit, 0`);
  const percent = Math.min(100, round2(unitsLate * policy.percent));
  return result(unitsLate, percent, `${units}: −${percent}%`);
}
