/**
 * The consolidate lab's list of equivalent mutants, and the mutation runner's reading of such
 * lists and its score: fast checks that run with the unit tests (the mutation run itself,
 * `npm run mutation`, takes minutes and is not part of `npm test`).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { applyMutant, originalText } from '../../scripts/mutation/apply-mutant.ts';
import { EquivalentsError, matchEquivalents, parseEquivalents, type MutantText } from '../../scripts/mutation/equivalents.ts';
import { formatSummary, summarize, type GradedMutant } from '../../scripts/mutation/summary.ts';

const labDir = resolve(import.meta.dirname, '../../labs/consolidate');
const solution = readFileSync(resolve(labDir, 'solution/consolidate.ts'), 'utf8');
const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim();

describe("consolidate's mutation-equivalents.md", () => {
  const entries = parseEquivalents(readFileSync(resolve(labDir, 'mutation-equivalents.md'), 'utf8'), 'mutation-equivalents.md');

  test('lists equivalent mutants, each with a reason', () => {
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(entry.reason.length, `entry at line ${entry.at}`).toBeGreaterThan(20);
  });

  test('each entry names a line of the current solution that holds its original code', () => {
    const lines = solution.split('\n').map(squeeze);
    for (const entry of entries) {
      const line = squeeze(entry.line);
      const holding = lines.filter((l) => (line.endsWith('…') ? l.startsWith(line.slice(0, -1)) : l === line) && l.includes(squeeze(entry.original)));
      expect(holding.length, `entry at line ${entry.at}: lines "${entry.line}" holding "${entry.original}"`).toBeGreaterThanOrEqual(entry.occurrence);
    }
  });
});

describe('reading an equivalents file', () => {
  const entry = (fields: string) => `- file: a.ts\n  mutator: EqualityOperator\n${fields}`;

  test('a missing field or a bad occurrence is an error naming the file, the line and what is missing', () => {
    expect(() => parseEquivalents(`# title\n\n${entry('  line: x\n  original: a\n  replacement: b\n')}`, 'eq.md')).toThrow(new EquivalentsError('eq.md:3: the entry has no reason (every entry needs file, mutator, line, original, replacement, reason)'));
    expect(() => parseEquivalents(entry('  line: x\n  original: a\n  replacement: b\n  reason: r\n  occurrence: 0\n'), 'eq.md')).toThrow(/eq\.md:1: occurrence must be a whole number from 1, got "0"/);
  });

  test('entries match by text, whitespace-insensitive, with … as a prefix and occurrence as the n-th match; the rest are stale', () => {
    const entries = parseEquivalents([
      entry('  line: for (let t = 0;  t < n; t++) {\n  original: t < n\n  replacement: t <= n\n  occurrence: 2\n  reason: second loop'),
      '',
      entry('  line: const order = [...xs].sort(…\n  original: a < b\n  replacement: true\n  reason: ties'),
      '',
      entry('  line: gone\n  original: a\n  replacement: b\n  reason: removed code'),
    ].join('\n'), 'eq.md');
    const mutant = (line: string, original: string, replacement: string): MutantText => ({ file: 'a.ts', mutator: entries[0]!.mutator, line, original, replacement });
    const first = mutant('  for (let t = 0; t < n; t++) {', 't < n', 't <= n');
    const second = mutant('    for (let t = 0; t < n; t++) {', 't < n', 't <= n');
    const tie = mutant('  const order = [...xs].sort((a, b) => a < b ? -1 : 1);', 'a < b', 'true');
    const { equivalent, stale } = matchEquivalents(entries, [first, second, tie]);
    expect([...equivalent.keys()]).toEqual([second, tie]);
    expect(stale.map((e) => e.reason)).toEqual(['removed code']);
  });
});

describe('applying a mutant and scoring', () => {
  test('a mutant replaces exactly its 0-based range', () => {
    const source = 'const a = 1;\nif (x > 2) {\n}\n';
    const location = { start: { line: 1, column: 4 }, end: { line: 1, column: 9 } };
    expect(originalText(source, location)).toBe('x > 2');
    expect(applyMutant(source, location, 'x >= 2')).toBe('const a = 1;\nif (x >= 2) {\n}\n');
  });

  test('the score is killed and timed-out ÷ non-equivalent; a killed "equivalent" and a low score are reported', () => {
    const make = (id: string, status: string): GradedMutant => ({
      id, file: 'a.ts', mutator: 'EqualityOperator', location: { start: { line: 4, column: 2 }, end: { line: 4, column: 7 } }, line: 'if (x > 2) {', original: 'x > 2', replacement: 'x >= 2', status,
    });
    const mutants = [...Array.from({ length: 17 }, (_, i) => make(`k${i}`, 'Killed')), make('t', 'Timeout'), make('s1', 'Survived'), make('s2', 'Survived'), make('e', 'Killed')];
    const listed = parseEquivalents('- file: a.ts\n  mutator: EqualityOperator\n  line: if (x > 2) {\n  original: x > 2\n  replacement: x >= 2\n  reason: not really', 'eq.md')[0]!;
    const survivor = mutants.find((m) => m.id === 's2')!;
    const summary = summarize('lab', mutants, new Map([[survivor, listed], [mutants.at(-1)!, listed]]), [], 12);
    expect([summary.killed.length, summary.timedOut.length, summary.survived.length, summary.equivalent.length]).toEqual([18, 1, 1, 1]);
    expect(summary.score).toBeCloseTo((100 * 19) / 20, 10);
    const text = formatSummary(summary, 96);
    expect(text).toContain('lab: 95.0% mutation score (killed ÷ non-equivalent) in 12 s');
    expect(text).toContain('a.ts:5:3 EqualityOperator: x > 2 → x >= 2');
    expect(text).toContain('listed as equivalent but killed by a test');
    expect(text).toContain('FAIL: lab scores 95.0%, 1.0 points below the 96% required');
  });
});
