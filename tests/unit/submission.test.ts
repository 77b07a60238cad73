import { describe, expect, test } from 'vitest';
import { createSubmission, readSubmission, submissionFileName } from '../../src/workbench/submission.ts';
import { submissionSchema, type LabManifest } from '../../grader/core/lab-format.ts';

const manifest: LabManifest = {
  id: 'hello',
  title: 'Hello',
  version: 2,
  summary: 's',
  minutes: 5,
  lessons: [],
  files: [
    { path: 'solution.ts', editable: true },
    { path: 'limits.ts', editable: false },
  ],
  points: { public: 3, hidden: 2 },
  limits: { timeMs: 2000, memoryMb: 64, outputBytes: 65536 },
  showHiddenOutputToStudents: false,
};
const now = new Date('2026-03-04T05:06:07Z');

describe('submission files', () => {
  test('a created submission matches the grader schema and carries only editable files', () => {
    const submission = createSubmission(manifest, { 'solution.ts': 'code', 'limits.ts': 'tampered' }, now);
    expect(submissionSchema.parse(submission)).toEqual({
      format: 'virtlab-submission',
      formatVersion: 1,
      lab: 'hello',
      labVersion: 2,
      files: { 'solution.ts': 'code' },
      createdAt: '2026-03-04T05:06:07.000Z',
    });
    expect(submissionFileName(manifest, now)).toBe('hello-v2-2026-03-04-05-06-07.json');
  });

  test('round trip: what is downloaded imports back', () => {
    const text = JSON.stringify(createSubmission(manifest, { 'solution.ts': 'mine' }, now));
    expect(readSubmission(manifest, text)).toEqual({ ok: true, files: { 'solution.ts': 'mine' } });
  });

  test('another version loads with a warning', () => {
    const text = JSON.stringify({ ...createSubmission(manifest, { 'solution.ts': 'old' }, now), labVersion: 1 });
    const result = readSubmission(manifest, text);
    expect(result.ok && result.warning).toMatch(/version 1 of the lab; this is version 2/);
  });

  test.each([
    ['not JSON', '{', /not valid JSON/],
    ['another lab', JSON.stringify({ ...createSubmission(manifest, { 'solution.ts': 'x' }, now), lab: 'jail' }), /for the lab "jail"/],
    ['a foreign JSON file', JSON.stringify({ name: 'x' }), /not a valid virtlab submission/],
    ['no editable file', JSON.stringify({ ...createSubmission(manifest, {}, now), files: { 'limits.ts': 'x' } }), /none of this lab's editable files/],
  ])('refuses %s and says the code was not changed', (_label, text, reason) => {
    const result = readSubmission(manifest, text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(reason);
    expect(!result.ok && result.error).toMatch(/Your code was not changed/);
  });
});
