/**
 * Builds the site from fixture content and checks that malformed content fails the build with
 * the file and the reason. That the well-formed fixture content builds is shown by
 * `npm run build:fixture` (part of `npm run test:e2e`), whose site the workbench tests use; each
 * case here breaks one thing in a copy of it and expects that thing's own message.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const fixture = join(root, 'tests/fixtures/content');
const scratch = mkdtempSync(join(tmpdir(), 'virtlab-content-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Copies the fixture content, lets `mutate` break it, builds, and returns the build's output. */
function buildWith(name: string, mutate: (lessonFile: string, dir: string) => void) {
  const dir = join(scratch, name);
  cpSync(fixture, join(dir, 'content'), { recursive: true });
  const lessonFile = join(dir, 'content/lessons/01-fixture.mdx');
  mutate(lessonFile, dir);
  const result = spawnSync(join(root, 'node_modules/.bin/astro'), ['build', '--outDir', join(dir, 'dist')], {
    cwd: root,
    encoding: 'utf8',
    // No labs: these builds are about lesson content (the labs have their own tests).
    env: { ...process.env, VIRTLAB_CONTENT_DIR: join(dir, 'content'), VIRTLAB_LABS_DIR: join(dir, 'no-labs'), VIRTLAB_CACHE_DIR: join(dir, 'cache') },
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`, dir };
}

function replaceIn(file: string, from: string | RegExp, to: string) {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`fixture edit did not apply: ${String(from)}`);
  writeFileSync(file, next);
}

describe('content is checked at build time', { timeout: 120_000 }, () => {
  test('a malformed question fails the build naming the file, the question and the reason', () => {
    const { status, output } = buildWith('bad-question', (file) =>
      replaceIn(file, '{ text: "Wrong", explain: "This is wrong." }', '{ text: "Wrong", correct: true, explain: "This is wrong." }'),
    );
    expect(status).not.toBe(0);
    expect(output).toContain('01-fixture.mdx');
    expect(output).toContain('question "single"');
    expect(output).toContain('exactly one option with correct: true');
  });

  test('a quiz with too few questions fails the build', () => {
    const { status, output } = buildWith('short-quiz', (file) => replaceIn(file, /<Ordering[\s\S]*<\/Matching>/, ''));
    expect(status).not.toBe(0);
    expect(output).toContain('01-fixture.mdx: <Quiz id="01-fixture-quiz"> has 4 question(s); a lesson quiz needs at least 5');
  });

  test('front matter that breaks the schema fails the build naming the field', () => {
    const { status, output } = buildWith('bad-frontmatter', (file) => replaceIn(file, 'minutes: 10', 'minutes: "ten"'));
    expect(status).not.toBe(0);
    expect(output).toContain('01-fixture');
    expect(output).toContain('minutes');
  });

  test('a glossary link to an unknown term fails the build', () => {
    const { status, output } = buildWith('bad-term', (file) => replaceIn(file, '<Term id="hypervisor">', '<Term id="hypervisr">'));
    expect(status).not.toBe(0);
    expect(output).toContain('01-fixture.mdx: <Term id="hypervisr"> names no glossary entry');
  });
});
