/**
 * The instructor's term without grading: late-policy arithmetic at its boundaries, the course
 * file's errors, roster parsing and matching, LMS submission times, the gradebook exports'
 * columns and the regrade comparison, on hand-made rows.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import type { LabManifest } from '../../grader/core/lab-format.ts';
import type { GradeResult, TestResult } from '../../grader/core/types.ts';
import type { BatchRow } from '../../grader/node/batch.ts';
import { compareRuns, compareText, type PreviousRun } from '../../grader/term/compare.ts';
import { parseCourse, type LabDeadline } from '../../grader/term/course.ts';
import { parseCsvRecords, TermFileError } from '../../grader/term/csv.ts';
import { canvasCsv, moodleCsv, plainTermCsv } from '../../grader/term/exports.ts';
import { applyLatePolicy } from '../../grader/term/late.ts';
import { matchRoster, matchStudent, rosterFromRecords } from '../../grader/term/roster.ts';
import { gradescopeSubmittedAt, recordedTime, timesFromRecords } from '../../grader/term/submitted-at.ts';
import { termRows } from '../../grader/term/term-rows.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DUE = '2026-03-01T23:59:00+01:00';
const dueMs = Date.parse(DUE);

function deadline(fields: Record<string, unknown> = {}): LabDeadline {
  const course = parseCourse({ labs: { consolidate: { due: DUE, graceMinutes: 15, late: { per: 'day', percent: 10, maxUnits: 3 }, ...fields } } }, 'course.json');
  return course.labs['consolidate']!;
}

describe('late policy', () => {
  const policy = deadline();
  test.each([
    ['exactly at the due time', 0, 0, 30],
    ['within grace (15 min)', 15 * 60_000, 0, 30],
    ['one second past grace: one started day', 15 * 60_000 + 1000, 10, 27],
    ['one second past the due time without grace', 1000, 10, 27, { graceMinutes: 0 }],
    ['exactly one day late', DAY, 10, 27],
    ['one day and a second: two days', DAY + 1000, 20, 24],
    ['exactly at the 3-day cap', 3 * DAY, 30, 21],
    ['one second past the cap: 0', 3 * DAY + 1000, 100, 0],
  ] as const)('%s', (_name, offset, percent, final, fields?: Record<string, unknown>) => {
    const outcome = applyLatePolicy(fields === undefined ? policy : deadline(fields), null, dueMs + offset, 30);
    expect({ percent: outcome.penaltyPercent, final: outcome.finalScore, penalty: outcome.penalty }).toEqual({ percent, final, penalty: 30 - final });
  });

  test('hourly rate without a cap stops at 100 %', () => {
    const hourly = deadline({ late: { per: 'hour', percent: 2.5 } });
    expect(applyLatePolicy(hourly, null, dueMs + 15 * 60_000 + 1, 20)).toMatchObject({ unitsLate: 1, penaltyPercent: 2.5, finalScore: 19.5 });
    expect(applyLatePolicy(hourly, null, dueMs + 100 * HOUR, 20)).toMatchObject({ penaltyPercent: 100, finalScore: 0 });
  });

  test('no late policy: late work scores 0, on-time work keeps its score', () => {
    const strict = deadline({ late: undefined, graceMinutes: 0 });
    expect(applyLatePolicy(strict, null, dueMs + 1000, 20).finalScore).toBe(0);
    expect(applyLatePolicy(strict, null, dueMs, 20).finalScore).toBe(20);
  });

  test("a student's extension moves their due time only (ids case-insensitive)", () => {
    const extended = deadline({ extensions: { S123: '2026-03-03T23:59:00+01:00' } });
    const atTwoDays = dueMs + 2 * DAY;
    expect(applyLatePolicy(extended, 's123', atTwoDays, 30)).toMatchObject({ finalScore: 30, note: 'on time' });
    expect(applyLatePolicy(extended, 's999', atTwoDays, 30)).toMatchObject({ finalScore: 24, unitsLate: 2 });
  });

  test('time zones: the same instant written in two offsets is the same verdict', () => {
    const inTokyo = deadline({ due: '2026-03-02T07:59:00+09:00', graceMinutes: 0 });
    expect(Date.parse('2026-03-02T07:59:00+09:00')).toBe(dueMs);
    expect(applyLatePolicy(inTokyo, null, Date.parse('2026-03-01T22:59:00Z'), 10).finalScore).toBe(10);
    expect(applyLatePolicy(inTokyo, null, Date.parse('2026-03-01T22:59:01Z'), 10).finalScore).toBe(9);
  });
});

describe('course file', () => {
  const error = (json: unknown): string => {
    try {
      parseCourse(json, 'course.json');
    } catch (e) {
      expect(e).toBeInstanceOf(TermFileError);
      return (e as Error).message;
    }
    throw new Error('expected the course file to be refused');
  };
  test('a due time without a time zone names the field and shows the format', () => {
    expect(error({ labs: { consolidate: { due: '2026-03-01 23:59' } } })).toMatch(/labs\.consolidate\.due: must be a date and time with its time zone offset, e\.g\. "2026-03-01T23:59:00\+01:00"/);
  });
  test('a wrong unit and an unknown field are named', () => {
    const message = error({ labs: { consolidate: { due: DUE, late: { per: 'week', percent: 10 }, penalty: 3 } } });
    expect(message).toMatch(/labs\.consolidate\.late\.per: must be "day" or "hour"/);
    expect(message).toMatch(/penalty/);
  });
});

describe('roster', () => {
  const roster = rosterFromRecords(parseCsvRecords('\uFEFFStudent ID,Full Name,Email Address\ns1,Ada Lovelace,ada@uni.edu\ns2,Bob Byte,bob@uni.edu\ns3,Carol Cache,carol@uni.edu\n', 'roster.csv'), 'roster.csv', { id: 'student id' });

  test('header names are matched case-insensitively', () => {
    expect(roster[0]).toEqual({ id: 's1', name: 'Ada Lovelace', email: 'ada@uni.edu' });
  });
  test('a roster without an id column says which names it looked for', () => {
    expect(() => rosterFromRecords(parseCsvRecords('who,mail\nx,y\n', 'r.csv'), 'r.csv')).toThrow(/r\.csv has no id column \(looked for id, student_id.*--roster-id/);
  });
  test('matches by carried id, then name or email, then file or folder name, case-insensitively', () => {
    expect(matchStudent(roster, { student: 'someone', studentId: 'S2', source: 'x.json' })?.id).toBe('s2');
    expect(matchStudent(roster, { student: 'ada lovelace', source: 'x.json' })?.id).toBe('s1');
    expect(matchStudent(roster, { student: 'CAROL@uni.edu', source: 'x.json' })?.id).toBe('s3');
    expect(matchStudent(roster, { student: 'consolidate', source: 'subs/bob/consolidate.ts' })?.id).toBe('s2');
    expect(matchStudent(roster, { student: 's3', source: 's3.ts' })?.id).toBe('s3');
    expect(matchStudent(roster, { student: 'mallory', source: 'mallory.ts' })).toBeNull();
  });
  test('graded, missing, unknown, and of duplicates the newest counts', () => {
    const subs = [
      { student: 'Ada Lovelace', source: 'early.json', t: 1 },
      { student: 'Ada Lovelace', source: 'late.json', t: 5 },
      { student: 'mallory', source: 'mallory.ts', t: 2 },
      { student: 'bob', source: 'bob.ts', t: null },
    ];
    const outcome = matchRoster(roster, subs, (s) => s.t);
    expect(outcome.graded.map((g) => [g.student.id, g.counted.source, g.superseded.map((s) => s.source)])).toEqual([
      ['s1', 'late.json', ['early.json']],
      ['s2', 'bob.ts', []],
    ]);
    expect(outcome.missing.map((s) => s.id)).toEqual(['s3']);
    expect(outcome.unknown.map((s) => s.source)).toEqual(['mallory.ts']);
  });
});

describe('submission times', () => {
  const times = timesFromRecords(parseCsvRecords('Email,Submitted At\nada@uni.edu,2026-03-01T10:00:00Z\nada@uni.edu,2026-03-02T10:00:00Z\n', 't.csv'), 't.csv');
  test('the latest recorded upload of the student', () => {
    expect(recordedTime(times, { student: 'x', source: 'a.json' }, { id: 's1', name: 'Ada', email: 'ADA@uni.edu' })).toBe(Date.parse('2026-03-02T10:00:00Z'));
    expect(recordedTime(times, { student: 'x', source: 'a.json' }, null)).toBeNull();
  });
  test('a time without a zone is refused with the line and the format', () => {
    expect(() => timesFromRecords(parseCsvRecords('id,submitted_at\ns1,2026-03-01 10:00\n', 't.csv'), 't.csv')).toThrow(/t\.csv line 2: "2026-03-01 10:00" is not a time with a time zone/);
  });
  test("Gradescope's submission_metadata.json created_at", () => {
    expect(gradescopeSubmittedAt({ created_at: '2026-03-01T23:58:59.123-05:00', users: [] })).toBe(Date.parse('2026-03-02T04:58:59.123Z'));
    expect(gradescopeSubmittedAt({})).toBeNull();
  });
});

const manifest = { id: 'consolidate', title: 'Consolidate', version: 2, points: { public: 10, hidden: 20 } } as unknown as LabManifest;

function test_(fullName: string, verdict: TestResult['verdict'], points: number): TestResult {
  return { index: 0, name: fullName, fullName, file: 'tests/public.ts', visibility: 'public', points, timeoutMs: 1000, verdict, message: '', output: '', durationMs: 1, score: verdict === 'passed' ? points : 0 };
}
function graded(student: string, tests: TestResult[], extra: Partial<BatchRow> = {}): BatchRow {
  const score = tests.reduce((s, t) => s + t.score, 0);
  const result: GradeResult = { lab: 'consolidate', labVersion: 2, score, maxScore: 30, publicScore: score, publicMax: 30, hiddenScore: 0, hiddenMax: 0, tests, diagnostics: [], loadOutput: '', durationMs: 1 };
  return { status: 'graded', student, source: `${student}.json`, result, ...extra } as BatchRow;
}

describe('gradebook exports', () => {
  const roster = rosterFromRecords(parseCsvRecords('id,name,email\ns1,"Lovelace, Ada",ada@uni.edu\ns2,Bob,bob@uni.edu\n', 'r.csv'), 'r.csv');
  const rows = [graded('ada', [test_('a', 'passed', 20), test_('b', 'failed', 10)], { studentId: 's1' }), graded('mallory', [test_('a', 'passed', 30)])];
  const times = timesFromRecords(parseCsvRecords('id,submitted_at\ns1,2026-03-03T12:00:00+01:00\n', 't.csv'), 't.csv');
  const term = termRows(rows, { roster, times, deadline: deadline() });
  const csv = (text: string): string[][] => parse(text) as string[][];

  test('Canvas: its gradebook columns, a Points Possible line, roster students only, late score', () => {
    const table = csv(canvasCsv(manifest, term));
    expect(table[0]).toEqual(['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Consolidate (consolidate)']);
    expect(table[1]).toEqual(['Points Possible', '', '', '', '', '30']);
    expect(table.slice(2)).toEqual([
      ['Lovelace, Ada', '', 's1', 'ada@uni.edu', '', '16'],
      ['Bob', '', 's2', 'bob@uni.edu', '', ''],
    ]);
  });
  test('Moodle: identifier columns, the grade item and feedback', () => {
    const table = csv(moodleCsv(manifest, term));
    expect(table[0]).toEqual(['ID number', 'Email address', 'Full name', 'consolidate', 'Feedback']);
    expect(table[1]).toEqual(['s1', 'ada@uni.edu', 'Lovelace, Ada', '16', 'Failed: b. 2 days late: −20% (raw 20, penalty 4).']);
    expect(table[2]).toEqual(['s2', 'bob@uni.edu', 'Bob', '', 'No submission.']);
  });
  test('plain CSV: every row with status, raw, penalty and final score', () => {
    const table = csv(plainTermCsv(term));
    expect(table[0]).toEqual(['student', 'student_id', 'email', 'status', 'raw_score', 'penalty', 'final_score', 'max_score', 'submitted_at', 'late', 'failed_tests', 'error', 'source']);
    expect(table.slice(1).map((r) => [r[1], r[3], r[4], r[5], r[6], r[8]])).toEqual([
      ['s1', 'graded', '20', '4', '16', '2026-03-03T11:00:00.000Z'],
      ['s2', 'missing', '', '', '', ''],
      ['', 'unknown', '30', '0', '30', ''],
    ]);
  });
});

describe('regrade comparison', () => {
  const previous: PreviousRun = {
    lab: 'consolidate',
    labVersion: 1,
    graderVersion: '0.0.9',
    rows: [
      { student: 'ada', student_id: 's1', source: 'ada.json', status: 'graded', result: { score: 20, maxScore: 30, tests: [{ fullName: 'a', verdict: 'passed' }, { fullName: 'b', verdict: 'failed' }] } },
      { student: 'bob', source: 'bob.ts', status: 'graded', result: { score: 30, maxScore: 30, tests: [{ fullName: 'a', verdict: 'passed' }, { fullName: 'b', verdict: 'passed' }] } },
    ],
  };
  test('score change and changed verdicts per student; unchanged students are left out', () => {
    const rows = [graded('ada', [test_('a', 'passed', 20), test_('b', 'passed', 10)], { studentId: 's1' }), graded('bob', [test_('a', 'passed', 20), test_('b', 'passed', 10)])];
    const changes = compareRuns(previous, rows);
    expect(changes).toEqual([{ student: 'ada (s1)', before: 20, after: 30, tests: [{ name: 'b', before: 'failed', after: 'passed' }] }]);
    expect(compareText(previous, 2, '0.1.0', changes)).toBe('Compared with the previous run: lab consolidate version 1 → 2, grader 0.0.9 → 0.1.0.\nada (s1): 20 → 30 (+10)\n    b: failed → passed\n');
  });
  test('a student only in the previous run is listed as not in this run', () => {
    const changes = compareRuns(previous, [graded('bob', [test_('a', 'passed', 20), test_('b', 'failed', 10)])]);
    expect(changes.map((c) => [c.student, c.before, c.after, c.tests.length])).toEqual([
      ['bob', 30, 20, 1],
      ['ada (s1)', 20, null, 0],
    ]);
  });
});
