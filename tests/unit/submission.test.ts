import { describe, expect, test } from 'vitest';
import { createSubmission, fileNamePart, readSubmission, refuseBySize, submissionFileName } from '../../src/workbench/submission.ts';
import { IdentityStore } from '../../src/workbench/identity.ts';
import { memoryStorage } from '../../src/lib/progress.ts';
import { MAX_SUBMISSION_BYTES, submissionSchema, type LabManifest } from '../../grader/core/lab-format.ts';

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

  test('a submission names the student and their id, in the file and its name', () => {
    const identity = { name: 'Ada Lovelace', studentId: 's 18/15' };
    const submission = createSubmission(manifest, { 'solution.ts': 'code' }, now, identity);
    expect(submissionSchema.parse(submission)).toMatchObject({ student: 'Ada Lovelace', studentId: 's 18/15' });
    expect(submissionFileName(manifest, now, identity)).toBe('hello-v2-ada-lovelace-s-18-15-2026-03-04-05-06-07.json');
    // No id given: none in the file, none in the name.
    expect(createSubmission(manifest, {}, now, { name: 'Ada', studentId: '' })).not.toHaveProperty('studentId');
    expect(submissionFileName(manifest, now, { name: 'Ada', studentId: '' })).toBe('hello-v2-ada-2026-03-04-05-06-07.json');
  });

  test.each([
    ['Émile Zoë', 'emile-zoe'],
    ['../../etc/passwd', 'etc-passwd'],
    ['李雷', ''],
    ['a'.repeat(60), 'a'.repeat(40)],
  ])('file-name text of %j is %j', (text, expected) => {
    expect(fileNamePart(text)).toBe(expected);
  });

  test('files over the grader’s size limit are refused before reading, with both sizes', () => {
    expect(refuseBySize('ok.json', MAX_SUBMISSION_BYTES)).toBeUndefined();
    expect(refuseBySize('big.json', 60 * 1024 * 1024)).toBe(
      'big.json is 60.0 MiB; a submission is at most 1 MiB (the grader refuses bigger files), so this is probably not a virtlab submission. Your code was not changed.',
    );
  });
});

describe('the learner’s identity', () => {
  test('is stored trimmed, survives a new store, and must have a name', () => {
    const storage = memoryStorage();
    expect(new IdentityStore(storage).load()).toBeUndefined();
    expect(new IdentityStore(storage).save('   ', 's1')).toEqual({ ok: false, error: expect.stringMatching(/Type your name/) });
    expect(new IdentityStore(storage).save('  Ada ', ' s1 ')).toEqual({ ok: true, identity: { name: 'Ada', studentId: 's1' }, stored: true });
    expect(new IdentityStore(storage).load()).toEqual({ name: 'Ada', studentId: 's1' });
  });

  test('refuses what the grader would refuse, and survives a storage that refuses writes', () => {
    const storage = memoryStorage();
    expect(new IdentityStore(storage).save('x'.repeat(201), '').ok).toBe(false);
    storage.setItem('virtlab.student.v1', '{"name": 3}');
    expect(new IdentityStore(storage).load()).toBeUndefined();
    storage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    expect(new IdentityStore(storage).save('Ada', '')).toEqual({ ok: true, identity: { name: 'Ada', studentId: '' }, stored: false });
  });
});
