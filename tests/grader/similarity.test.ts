/**
 * `virtlab similarity` on the real labs: copies of a solution are flagged, independent correct
 * solutions and the untouched starter are not, starter code never counts, and the reports escape
 * what learners wrote.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { DEFAULT_THRESHOLD, parseThreshold } from '../../grader/similarity/command.ts';
import { comparePairs, editableText, type SimilarityInput } from '../../grader/similarity/compare.ts';
import { escapeHtml, similarityCsv, similarityHtml } from '../../grader/similarity/report.ts';
import { listLabIds, loadLab, type LoadedLab } from '../../grader/node/lab-loader.ts';
import { alternativesOf } from '../labs/variants.ts';
import { REPO } from './helpers.ts';

const LABS = join(REPO, 'labs');
const FIXTURES = join(REPO, 'tests/grader/fixtures/similarity');


/** `source` with its top-level declarations (each with its doc comment) in reverse order, imports first. */
function reverseDeclarations(source: string): string {
  const file = ts.createSourceFile('copy.ts', source, ts.ScriptTarget.Latest, true);
  const imports = file.statements.filter(ts.isImportDeclaration);
  const rest = file.statements.filter((s) => !ts.isImportDeclaration(s));
  expect(rest.length).toBeGreaterThanOrEqual(4);
  return [...imports, ...rest.reverse()].map((s) => s.getFullText(file).replace(/^\n+/, '')).join('\n\n');
}

function input(student: string, text: string): SimilarityInput {
  return { student, source: `${student}.ts`, text };
}

/** The similarity of `a` and `b` when compared among `inputs`, with the lab's starter excluded. */
function similarityOf(lab: LoadedLab, inputs: SimilarityInput[], a: string, b: string): number {
  const pair = comparePairs(inputs, editableText(lab.manifest, lab.starter)).find((p) => new Set([p.left.student, p.right.student]).size === 2 && [p.left.student, p.right.student].every((s) => s === a || s === b));
  expect(pair, `no pair ${a}–${b}`).toBeDefined();
  return pair!.similarity;
}

describe('copies are flagged', () => {
  test('a copy of the jail solution with every name changed and comments removed', async () => {
    const lab = await loadLab(join(LABS, 'jail'));
    const solution = editableText(lab.manifest, lab.solution);
    const renamed = readFileSync(join(FIXTURES, 'jail/renamed-variables.ts'), 'utf8');
    expect(renamed).not.toContain('HARMLESS_DEVICES'); // the fixture really renamed things
    const similarity = similarityOf(lab, [input('original', solution), input('renamed', renamed)], 'original', 'renamed');
    expect(similarity).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(similarity).toBeGreaterThan(0.95);
  });

  test('a copy of the trap-and-emulate solution with its functions in reverse order', async () => {
    const lab = await loadLab(join(LABS, 'trap-and-emulate'));
    const solution = editableText(lab.manifest, lab.solution);
    const reordered = reverseDeclarations(solution);
    expect(reordered.indexOf('function emulatePrivileged')).toBeLessThan(reordered.indexOf('function handleExit'));
    expect(solution.indexOf('function emulatePrivileged')).toBeGreaterThan(solution.indexOf('function handleExit'));
    expect(similarityOf(lab, [input('original', solution), input('reordered', reordered)], 'original', 'reordered')).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
  });
});

describe('independent work is not flagged', async () => {
  const ids = await listLabIds(LABS);
  test('the course has labs with alternatives to compare', () => expect(ids.length).toBeGreaterThanOrEqual(3));

  for (const id of ids) {
    test(`${id}: the reference, its alternatives and the starter all stay below the threshold`, async () => {
      const lab = await loadLab(join(LABS, id));
      const starter = editableText(lab.manifest, lab.starter);
      const inputs = [input('reference', editableText(lab.manifest, lab.solution)), input('starter', starter)];
      for (const alternative of alternativesOf(lab.dir, lab.manifest)) inputs.push(input(alternative.name, editableText(lab.manifest, alternative.files)));
      expect(inputs.length, 'a lab has at least two alternatives').toBeGreaterThanOrEqual(4);
      for (const { student, text } of inputs) expect(text.trim(), `${id}: ${student} has no code`).not.toBe('');
      const pairs = comparePairs(inputs, starter);
      expect(pairs).toHaveLength((inputs.length * (inputs.length - 1)) / 2);
      for (const pair of pairs) expect(pair.similarity, `${pair.left.student} vs ${pair.right.student}`).toBeLessThan(DEFAULT_THRESHOLD);
    });
  }
});

describe('starter code is excluded', () => {
  test('two learners who hand in the starter share nothing, though their files are identical', async () => {
    const lab = await loadLab(join(LABS, 'consolidate'));
    const starter = editableText(lab.manifest, lab.starter);
    const inputs = [input('a', starter), input('b', starter)];
    expect(comparePairs(inputs, '')[0]!.similarity).toBe(1);
    const [pair] = comparePairs(inputs, starter);
    expect(pair!.similarity).toBe(0);
    expect(pair!.fragments).toEqual([]);
  });

  test('two learners who each filled in a different hook of the starter are not flagged', async () => {
    const lab = await loadLab(join(LABS, 'jail'));
    const starter = editableText(lab.manifest, lab.starter);
    const fill = (hook: string, body: string): string => {
      const todo = `${hook}: (q) => true, // TODO`;
      expect(starter).toContain(todo);
      return starter.replace(todo, `${hook}: (q) => ${body},`);
    };
    const inputs = [input('a', fill('allowDotDot', 'q.context.id === 0 || !q.kernel.isContextRoot(q.dir, q.context.id)')), input('b', fill('allowFileAccess', "q.context.id === 0 || (q.kernel.isInsideContext(q.node, q.context.id) && q.node.kind !== 'device')"))];
    expect(comparePairs(inputs, '')[0]!.similarity).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD); // the starter they share
    expect(comparePairs(inputs, starter)[0]!.similarity).toBeLessThan(DEFAULT_THRESHOLD);
  });
});

describe('common code is not unusual', () => {
  test('with --common, code in more than that share of submissions is ignored; a pair that alone shares code is still flagged', async () => {
    const lab = await loadLab(join(LABS, 'jail'));
    const solution = editableText(lab.manifest, lab.solution);
    const starter = editableText(lab.manifest, lab.starter);
    const everyone = ['a', 'b', 'c', 'd'].map((s) => input(s, solution));
    expect(comparePairs(everyone, starter).every((p) => p.similarity === 1)).toBe(true);
    expect(comparePairs(everyone, starter, 0.5).every((p) => p.similarity === 0)).toBe(true);
    const alternatives = alternativesOf(lab.dir, lab.manifest).map((a) => input(a.name, editableText(lab.manifest, a.files)));
    const two = comparePairs([input('a', solution), input('b', solution), ...alternatives], starter, 0.5);
    expect([two[0]!.left.student, two[0]!.right.student]).toEqual(['a', 'b']);
    expect(two[0]!.similarity).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(two.slice(1).every((p) => p.similarity < DEFAULT_THRESHOLD)).toBe(true);
  });
});

describe('reports', () => {
  const attack = "const x = '</pre><script>alert(1)</script>';\n" + readFileSync(join(FIXTURES, 'jail/renamed-variables.ts'), 'utf8');
  const pairs = comparePairs([input('<script>alert("name")</script>', attack), input('bob & "co"', attack)], '');

  test('HTML escapes names and code from submissions', () => {
    const html = similarityHtml('Jail', pairs, DEFAULT_THRESHOLD);
    expect(pairs[0]!.similarity).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;');
    expect(html).toContain('bob &amp; &quot;co&quot;');
    expect(html).toContain('<section id="pair-1">');
  });

  test('escapeHtml turns every markup character into an entity', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  test('CSV has one row per pair, most similar first, flagged at the threshold', () => {
    const three = comparePairs([input('a', attack), input('b', attack), input('=cmd', 'export const c = 1;\n')], '');
    const rows = similarityCsv(three, DEFAULT_THRESHOLD).trimEnd().split('\n');
    expect(rows[0]).toBe('student_a,student_b,similarity,longest_run_fingerprints,fragments,flagged,source_a,source_b');
    expect(rows).toHaveLength(4);
    expect(rows[1]).toMatch(/^a,b,1\.0000,\d+,\d+,yes,a\.ts,b\.ts$/);
    expect(rows.slice(2).every((row) => row.includes(",no,") && row.includes("'=cmd"))).toBe(true);
  });

  test('the threshold option takes fractions from 0 to 1 and says what is wrong otherwise', () => {
    expect(parseThreshold('0.75')).toBe(0.75);
    for (const bad of ['', '1.5', '-0.1', 'half', '50%']) expect(() => parseThreshold(bad), bad).toThrow(/fraction from 0 to 1/);
  });
});
