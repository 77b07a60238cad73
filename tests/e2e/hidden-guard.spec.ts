/**
 * Guards the static site: no hidden test, reference solution, correct alternative or mutant of any
 * lab may be reachable in any build output. Reads the three builds the e2e run made (dist,
 * dist-sub, dist-fixture) and searches every file in them for each hidden test's name and for the
 * distinctive lines of each hidden test, solution and alternative file and the lines each mutant
 * patch adds (a mutant folder's files, as the grader's fixture lab keeps them, are searched whole).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { addedLines } from '../labs/variants.ts';

const BUILDS = ['dist', 'dist-sub', 'dist-fixture'];
const LAB_ROOTS = ['labs', 'tests/fixtures/labs'];

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

interface Secret {
  from: string;
  text: string;
}

/** What must never be published: hidden test names, and lines only private files contain. */
function secretsOf(labDir: string): Secret[] {
  const testFiles = filesUnder(join(labDir, 'tests'));
  const isPrivateTest = (path: string) => basename(path).startsWith('hidden');
  const publicText = [...filesUnder(join(labDir, 'starter')), ...testFiles.filter((path) => !isPrivateTest(path)), join(labDir, 'instructions.mdx')]
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
  const privateFiles = [
    ...testFiles.filter(isPrivateTest),
    ...filesUnder(join(labDir, 'solution')),
    ...filesUnder(join(labDir, 'alternatives')),
    ...filesUnder(join(labDir, 'mutants')),
  ].filter((path) => existsSync(path));
  const secrets: Secret[] = [];
  for (const path of privateFiles) {
    const text = readFileSync(path, 'utf8');
    for (const match of text.matchAll(/\btest\(\s*(['"`])(.+?)\1/g)) secrets.push({ from: path, text: match[2]! });
    const lines = path.endsWith('.patch') ? addedLines(text) : text.split('\n');
    for (const line of lines.map((l) => l.trim())) {
      if (line.length >= 24 && !publicText.includes(line) && !line.startsWith('import ') && !line.startsWith('//') && !line.startsWith('*')) {
        secrets.push({ from: path, text: line });
      }
    }
  }
  return secrets;
}

test('no hidden test, reference solution, alternative or mutant is reachable in any build', () => {
  const labDirs = LAB_ROOTS.flatMap((root) => (existsSync(root) ? readdirSync(root).map((name) => join(root, name)) : [])).filter((dir) =>
    existsSync(join(dir, 'lab.json')),
  );
  expect(labDirs.length).toBeGreaterThan(0);
  const secrets = labDirs.flatMap(secretsOf);
  expect(secrets.length).toBeGreaterThan(0);
  // The fixture lab marks its private files, so the guard is known to be looking at real secrets.
  expect(secrets.some((secret) => secret.text.includes('HIDDEN-FIXTURE-SECRET'))).toBe(true);
  expect(secrets.some((secret) => secret.text.includes('REFERENCE-SOLUTION-FIXTURE-MARKER'))).toBe(true);

  const published = BUILDS.flatMap(filesUnder);
  expect(published.length).toBeGreaterThan(10);
  // A leak may be raw text or text inside a JSON island (as lab pages embed their files:
  // quotes, backslashes and newlines escaped, and "<" written as \u003c).
  const searched = secrets.map((secret) => {
    const escaped = JSON.stringify(secret.text).slice(1, -1);
    return { ...secret, forms: [...new Set([secret.text, escaped, escaped.replace(/</g, '\\u003c')])] };
  });
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
