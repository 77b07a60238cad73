/**
 * The host's choice of published labs (VIRTLAB_LABS, src/labs/published.ts), on the sub-path build:
 * `build:sub` publishes a subset, so the labs it leaves out must be absent from it — no page (a
 * 404 from the server), no entry in the labs index or the home outline, no link from any page, the
 * lessons that name them saying they are not published here, and none of their starter or public
 * test text anywhere — while the root build (every lab) shows they would otherwise be there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { choosePublishedLabs } from '../../src/labs/published.ts';
import { labDirs } from '../labs/variants.ts';
import { distinctiveLines, filesUnder, publicFilesOf, publishedForms } from './published-labs-helpers.ts';

const SUB = { dir: 'dist-sub', base: '/courses/virtlab/', origin: 'http://127.0.0.1:4322' };
const allLabs = labDirs('labs').map((dir) => dir.split('/').pop()!);
const setting = /\bVIRTLAB_LABS=(\S+)/.exec(JSON.parse(readFileSync('package.json', 'utf8')).scripts['build:sub'])?.[1];
const published = choosePublishedLabs(setting, allLabs);
const unpublished = allLabs.filter((id) => !published.includes(id));

test('build:sub publishes a real subset of the labs', () => {
  expect(setting, 'build:sub sets VIRTLAB_LABS').toBeDefined();
  expect(published.length).toBeGreaterThan(0);
  expect(unpublished.length).toBeGreaterThan(0);
});

test('an unpublished lab has no page; a published one has', async ({ request }) => {
  for (const id of unpublished) {
    expect(existsSync(join('dist', 'labs', id, 'index.html')), `the root build has labs/${id}/`).toBe(true);
    expect(existsSync(join(SUB.dir, 'labs', id)), `${SUB.dir}/labs/${id}/ exists`).toBe(false);
    expect((await request.get(`${SUB.origin}${SUB.base}labs/${id}/`)).status(), `GET labs/${id}/`).toBe(404);
  }
  for (const id of published) expect((await request.get(`${SUB.origin}${SUB.base}labs/${id}/`)).status(), `GET labs/${id}/`).toBe(200);
});

test('the labs index and the home outline list exactly the published labs', () => {
  const attributes = (file: string, name: string) => [...readFileSync(join(SUB.dir, file), 'utf8').matchAll(new RegExp(`${name}="([^"]+)"`, 'g'))].map((match) => match[1]);
  expect(attributes('labs/index.html', 'data-lab-item').sort()).toEqual(published);
  expect(attributes('index.html', 'data-outline-lab').sort()).toEqual(published);
});

test('no page links to an unpublished lab; lessons that name it say it is not published here', () => {
  const pages = (dir: string) => filesUnder(dir).filter((file) => file.endsWith('.html'));
  for (const id of unpublished) {
    const linking = (dir: string, base: string) => pages(dir).filter((file) => readFileSync(file, 'utf8').includes(`href="${base}labs/${id}`));
    expect(linking(SUB.dir, SUB.base).map((file) => relative('.', file))).toEqual([]);
    // Lessons that link the lab in the full build name it as unpublished in the subset build.
    const lessons = linking('dist', '/').filter((file) => file.includes('/lessons/'));
    expect(lessons.length, `lessons linking labs/${id}/ in dist`).toBeGreaterThan(0);
    for (const lesson of lessons) {
      const page = readFileSync(join(SUB.dir, relative('dist', lesson)), 'utf8');
      expect(page, relative('dist', lesson)).toContain(`${id} (not published on this site)`);
    }
  }
});

test("none of an unpublished lab's starter or public test text is in the build", () => {
  // Lines a published lab shares may rightly appear: in its files, or on its page in the full
  // build (every lab page carries the simulator's typings); the rest belong to the unpublished labs.
  const sharedFiles = published.flatMap((id) => [...publicFilesOf(join('labs', id)), join('dist', 'labs', id, 'index.html')]);
  const sharedText = sharedFiles.map((path) => readFileSync(path, 'utf8')).join('\n');
  const isShared = (line: string) => publishedForms(line).some((form) => sharedText.includes(form));
  const output = filesUnder(SUB.dir).map((file) => ({ file, content: readFileSync(file, 'utf8') }));
  for (const id of unpublished) {
    const files = publicFilesOf(join('labs', id)).filter((path) => !path.endsWith('.mdx'));
    const lines = [...new Set(files.flatMap((path) => distinctiveLines(readFileSync(path, 'utf8'))))].filter((line) => !isShared(line));
    // The root build publishes these lines on the lab's page, so they are what a leak would look like.
    const page = readFileSync(join('dist', 'labs', id, 'index.html'), 'utf8');
    expect(lines.filter((line) => publishedForms(line).some((form) => page.includes(form))).length, `lines of ${id} on its page in dist`).toBeGreaterThan(10);
    const leaks = output.flatMap(({ file, content }) =>
      lines.filter((line) => publishedForms(line).some((form) => content.includes(form))).map((line) => `${relative('.', file)}: "${line.slice(0, 60)}"`),
    );
    expect(leaks).toEqual([]);
  }
});
