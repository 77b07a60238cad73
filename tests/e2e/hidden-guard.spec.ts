/**
 * Guards the static site: no hidden test, reference solution, correct alternative or mutant of any
 * lab may be reachable in any build output. Reads the three builds the e2e run made (dist,
 * dist-sub, dist-fixture) and searches every file in them for each hidden test's name and for the
 * distinctive lines of each hidden test, solution and alternative file and the lines each mutant
 * patch adds (a mutant folder's files, as the grader's fixture lab keeps them, are searched whole).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { addedLines } from '../labs/variants.ts';
import { distinctiveLines, filesUnder, publicFilesOf, publishedForms } from './published-labs-helpers.ts';

const BUILDS = ['dist', 'dist-sub', 'dist-fixture'];
const LAB_ROOTS = ['labs', 'tests/fixtures/labs'];

interface Secret {
  from: string;
  text: string;
}

/**
 * What must never be published: hidden test names, and lines of private files that no lab's
 * public files contain. A line counts as public if ANY lab publishes it: a later lab's starter may
 * ship, read-only, code an earlier lab's solution also has (labs 4 and 5 build on lab 3's VMM);
 * whether that later lab is published is the host's choice (VIRTLAB_LABS), not a leak.
 */
function secretsOf(labDir: string, publicText: string): Secret[] {
  const isPrivateTest = (path: string) => basename(path).startsWith('hidden');
  const privateFiles = [
    ...filesUnder(join(labDir, 'tests')).filter(isPrivateTest),
    ...filesUnder(join(labDir, 'solution')),
    ...filesUnder(join(labDir, 'alternatives')),
    ...filesUnder(join(labDir, 'mutants')),
  ];
  const secrets: Secret[] = [];
  for (const path of privateFiles) {
    const text = readFileSync(path, 'utf8');
    for (const match of text.matchAll(/\btest\(\s*(['"`])(.+?)\1/g)) secrets.push({ from: path, text: match[2]! });
    const lines = path.endsWith('.patch') ? addedLines(text).join('\n') : text;
    for (const line of distinctiveLines(lines)) if (!publicText.includes(line)) secrets.push({ from: path, text: line });
  }
  return secrets;
}

test('no hidden test, reference solution, alternative or mutant is reachable in any build', () => {
  const labDirs = LAB_ROOTS.flatMap((root) => (existsSync(root) ? readdirSync(root).map((name) => join(root, name)) : [])).filter((dir) =>
    existsSync(join(dir, 'lab.json')),
  );
  expect(labDirs.length).toBeGreaterThan(0);
  const publicText = labDirs
    .flatMap(publicFilesOf)
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
  const secrets = labDirs.flatMap((dir) => secretsOf(dir, publicText));
  expect(secrets.length).toBeGreaterThan(0);
  // The fixture lab marks its private files, so the guard is known to be looking at real secrets.
  expect(secrets.some((secret) => secret.text.includes('HIDDEN-FIXTURE-SECRET'))).toBe(true);
  expect(secrets.some((secret) => secret.text.includes('REFERENCE-SOLUTION-FIXTURE-MARKER'))).toBe(true);

  const published = BUILDS.flatMap(filesUnder);
  expect(published.length).toBeGreaterThan(10);
  // A leak may be raw text or text inside a JSON island (as lab pages embed their files).
  const searched = secrets.map((secret) => ({ ...secret, forms: publishedForms(secret.text) }));
  const leaks: string[] = [];
  for (const file of published) {
    const content = readFileSync(file, 'utf8');
    for (const secret of searched) {
      if (secret.forms.some((form) => content.includes(form))) leaks.push(`${relative('.', file)} contains "${secret.text.slice(0, 60)}" from ${secret.from}`);
    }
  }
  expect(leaks).toEqual([]);
});

test('the fixture lab page does publish its public tests and starter (the guard is not vacuous)', () => {
  const page = readFileSync('dist-fixture/labs/hello/index.html', 'utf8');
  expect(page).toContain('adds negative numbers');
  expect(page).toContain('TODO: return the sum');
  // Text with quotes inside the page's JSON island is found in its escaped form.
  expect(page).toContain(JSON.stringify("import { LIMIT } from './limits.ts';").slice(1, -1));
});
