/**
 * `labs/<id>/mutation-equivalents.md`: the mutants of a lab's reference solution that no test can
 * kill because they do not change what the code does, each with a reason.
 *
 * Each entry is a list item of `key: value` lines, the value being the rest of the line as it is:
 *
 *     - file: consolidate.ts
 *       mutator: EqualityOperator
 *       line: if (share > 1 + EPSILON) {
 *       original: share > 1 + EPSILON
 *       replacement: share >= 1 + EPSILON
 *       reason: the tolerance already admits a server that exactly fills a host
 *
 * `line` is the text of the source line where the mutated code starts, `original` the code the
 * mutant replaces and `replacement` what it puts there (whitespace runs count as one space; a
 * value ending in `…` matches any text that starts with what comes before it). Identifying a
 * mutant by text rather than by line number keeps entries valid across unrelated edits. When the
 * same text occurs more than once, `occurrence: n` picks the n-th in file order.
 */

export interface Equivalent {
  readonly file: string;
  readonly mutator: string;
  readonly line: string;
  readonly original: string;
  readonly replacement: string;
  readonly reason: string;
  readonly occurrence: number;
  /** Line of the entry in the .md file, for messages. */
  readonly at: number;
}

/** A mutant as the matching needs it. */
export interface MutantText {
  readonly file: string;
  readonly mutator: string;
  readonly line: string;
  readonly original: string;
  readonly replacement: string;
}

const REQUIRED = ['file', 'mutator', 'line', 'original', 'replacement', 'reason'] as const;

/** A malformed equivalents file: says where and what is wrong. */
export class EquivalentsError extends Error {
  override name = 'EquivalentsError';
}

/** Parses the equivalents file's text (`where` names it in errors). */
export function parseEquivalents(text: string, where: string): Equivalent[] {
  const entries: Equivalent[] = [];
  let current: { fields: Map<string, string>; at: number } | null = null;
  const finish = () => {
    if (current === null) return;
    const missing = REQUIRED.filter((key) => !current!.fields.get(key));
    if (missing.length > 0) throw new EquivalentsError(`${where}:${current.at}: the entry has no ${missing.join(', ')} (every entry needs ${REQUIRED.join(', ')})`);
    const occurrence = Number(current.fields.get('occurrence') ?? '1');
    if (!Number.isInteger(occurrence) || occurrence < 1) throw new EquivalentsError(`${where}:${current.at}: occurrence must be a whole number from 1, got "${current.fields.get('occurrence')}"`);
    const field = (key: (typeof REQUIRED)[number]) => current!.fields.get(key) as string;
    entries.push({ file: field('file'), mutator: field('mutator'), line: field('line'), original: field('original'), replacement: field('replacement'), reason: field('reason'), occurrence, at: current.at });
    current = null;
  };
  text.split('\n').forEach((raw, index) => {
    const item = /^- (\w+): ?(.*)$/.exec(raw);
    const continued = /^\s+(\w+): ?(.*)$/.exec(raw);
    if (item !== null) {
      finish();
      current = { fields: new Map([[item[1]!, item[2]!.trim()]]), at: index + 1 };
    } else if (continued !== null && current !== null) {
      current.fields.set(continued[1]!, continued[2]!.trim());
    } else if (raw.trim() === '' || !raw.startsWith(' ')) {
      finish();
    }
  });
  finish();
  return entries;
}

const squeeze = (text: string): string => text.replace(/\s+/g, ' ').trim();

function textMatches(pattern: string, actual: string): boolean {
  const want = squeeze(pattern);
  const have = squeeze(actual);
  return want.endsWith('…') ? have.startsWith(want.slice(0, -1).trimEnd()) : have === want;
}

function entryMatches(entry: Equivalent, mutant: MutantText): boolean {
  return entry.file === mutant.file && entry.mutator === mutant.mutator
    && textMatches(entry.line, mutant.line) && textMatches(entry.original, mutant.original) && textMatches(entry.replacement, mutant.replacement);
}

export interface EquivalentMatch<M> {
  /** Each equivalent mutant with its entry. */
  readonly equivalent: Map<M, Equivalent>;
  /** Entries that match no mutant any more (the code changed): fix or remove them. */
  readonly stale: Equivalent[];
}

/** Finds each entry's mutant among `mutants` (given in file order). */
export function matchEquivalents<M extends MutantText>(entries: readonly Equivalent[], mutants: readonly M[]): EquivalentMatch<M> {
  const equivalent = new Map<M, Equivalent>();
  const stale: Equivalent[] = [];
  for (const entry of entries) {
    const mutant = mutants.filter((candidate) => entryMatches(entry, candidate))[entry.occurrence - 1];
    if (mutant === undefined) stale.push(entry);
    else equivalent.set(mutant, entry);
  }
  return { equivalent, stale };
}

/** An entry as one line, for messages. */
export function describeEntry(entry: Equivalent): string {
  return `${entry.file} ${entry.mutator} at "${entry.line}": ${entry.original} → ${entry.replacement}${entry.occurrence > 1 ? ` (occurrence ${entry.occurrence})` : ''}`;
}
