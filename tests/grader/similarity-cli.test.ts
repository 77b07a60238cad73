/** `virtlab similarity` run as instructors run it (a separate Node process) on a folder of the jail lab's submissions. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO, virtlab as runVirtlab } from './helpers.ts';

const JAIL = join(REPO, 'labs/jail');

const virtlab = (...args: string[]) => runVirtlab(args);

let work: string;
let subs: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'virtlab-similarity-'));
  subs = mkdtempSync(join(work, 'subs-'));
  copyFileSync(join(JAIL, 'solution/policy.ts'), join(subs, 'alice.ts'));
  copyFileSync(join(REPO, 'tests/grader/fixtures/similarity/jail/renamed-variables.ts'), join(subs, 'bob.ts'));
  copyFileSync(join(JAIL, 'alternatives/rule-tables/policy.ts'), join(subs, 'carol.ts'));
  copyFileSync(join(JAIL, 'starter/policy.ts'), join(subs, 'dave.ts'));
  writeFileSync(join(subs, 'erin.json'), '{ "format": "virtlab-submission", ');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('virtlab similarity', () => {
  test('flags the copy, writes HTML and CSV, and names the file it could not read', () => {
    const html = join(work, 'report.html');
    const csv = join(work, 'pairs.csv');
    const run = virtlab('similarity', '--lab', 'jail', subs, '--html', html, '--csv', csv);
    expect(run.stderr).toMatch(/skipped .*erin\.json/);
    expect(run.code).toBe(1); // one submission could not be read, as `virtlab grade` reports it
    expect(run.stdout).toMatch(/6 pairs compared, 1 at or above 0\.5:\n\s+\d+\.\d %  alice  bob\n$/);
    const rows = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(rows).toHaveLength(7);
    expect(rows.filter((row) => row.includes(',yes,'))).toEqual([expect.stringMatching(/^alice,bob,/)]);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<h2>1. alice and bob:');
    expect(page).not.toContain('carol');
  });

  test('a higher threshold flags nothing; a bad one is refused with what to give', () => {
    const bad = virtlab('similarity', '--lab', 'jail', subs, '--threshold', '1.01');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--threshold.*fraction from 0 to 1/);
    const strict = virtlab('similarity', '--lab', 'jail', join(subs, 'carol.ts'), join(subs, 'alice.ts'), '--threshold', '0.9');
    expect(strict.code).toBe(0);
    expect(strict.stdout).toBe('1 pairs compared, 0 at or above 0.9:\n');
  });

  test('fewer than two submissions is a usage error that says so', () => {
    const run = virtlab('similarity', '--lab', 'jail', join(subs, 'alice.ts'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/at least two readable submissions; found 1/);
  });
});
